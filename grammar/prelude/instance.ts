import { CORE_PRELUDE } from "./core.js";

// biome-ignore lint/complexity/noBannedTypes: helpers have heterogeneous signatures
export type Helpers = Record<string, Function>;

/** Names declared at the top level of a prelude text (`function`, `const`, `let`, `class`). */
export function preludeNames(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/^(?:function|const|let|class)\s+(\$pg_\w+)/gm)) names.add(m[1]!);
  return [...names].sort();
}

/**
 * Instantiates a prelude text (our own constant source, never user input) and returns its
 * helpers, so TypeScript code (checker, interpreter) shares one implementation with bundles.
 */
export function instantiate(text: string): Helpers {
  const names = preludeNames(text);
  return new Function(`"use strict";\n${text}\nreturn { ${names.join(", ")} };`)() as Helpers;
}

/** The core helpers (used by the checker to validate literal durations and timestamps). */
export const coreRuntime: Helpers = instantiate(CORE_PRELUDE);
