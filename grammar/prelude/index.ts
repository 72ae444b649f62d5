import { builtinGroups } from "../builtins/registry.js";
import { CORE_PRELUDE } from "./core.js";

/**
 * The runtime of compiled conditions: core helpers then every builtin group's helpers, as one
 * self-contained JavaScript source text (no imports, deterministic). Bundles inline it once.
 */
export const PRELUDE: string = [
  "// Paracle condition runtime (grammar/prelude). Generated from constant text; do not edit.",
  CORE_PRELUDE,
  ...builtinGroups.map((g) => `// builtins: ${g.name}\n${g.prelude}`),
].join("\n");
