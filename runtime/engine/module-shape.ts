import type { CompiledBundle } from "../decision/types.js";
import { BundleLoadError } from "./errors.js";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks the exports of an imported `bundle.mjs`: `decide` (function), `metadata` (object with a
 * `policies` list), and, when present, `rules` and `approvalTemplates` (objects).
 */
export function checkBundleModule(mod: Record<string, unknown>): CompiledBundle {
  const fail = (cause: string): never => {
    throw new BundleLoadError("module_invalid", { cause });
  };
  if (typeof mod.decide !== "function") fail("it does not export a `decide` function");
  if (!isObject(mod.metadata)) fail("it does not export a `metadata` object");
  const metadata = mod.metadata as Record<string, unknown>;
  if (metadata.policies !== undefined && !Array.isArray(metadata.policies)) {
    fail("`metadata.policies` is not a list");
  }
  for (const name of ["rules", "approvalTemplates"]) {
    if (mod[name] !== undefined && !isObject(mod[name])) fail(`\`${name}\` is not an object`);
  }
  return mod as unknown as CompiledBundle;
}
