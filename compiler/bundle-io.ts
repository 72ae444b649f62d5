/**
 * Test helper: imports a bundle freshly written to disk. The sha256 of the bytes goes in the
 * URL's query, so a rewritten bundle is a new module instance (Node caches modules by URL).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Decision, DecisionInput } from "../runtime/decision/types.js";

/** What `bundle.mjs` exports (see bundle.d.ts of a compiled bundle). */
export interface BundleModule {
  decide(input: DecisionInput): Decision;
  rules: Record<
    string,
    {
      type: string;
      file: string;
      line: number;
      reason?: string;
      when?: string;
      constants: Record<string, unknown>;
    }
  >;
  metadata: { version: string; policies: string[]; [k: string]: unknown };
  approvalTemplates: Record<string, unknown>;
  actions: string[];
  constants: Record<string, unknown>;
  candidates(actionName: string): string[];
  context(input: DecisionInput): Record<string, unknown>;
}

export async function importBundle(dir: string): Promise<BundleModule> {
  const file = resolve(join(dir, "bundle.mjs"));
  const hash = createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
  return (await import(`${pathToFileURL(file).href}?sha256=${hash}`)) as BundleModule;
}

/** Imports bundle source text from memory (a `data:` URL; the bundle has no imports). */
export async function importBundleText(text: string): Promise<BundleModule> {
  return (await import(
    `data:text/javascript;base64,${Buffer.from(text, "utf8").toString("base64")}`
  )) as BundleModule;
}
