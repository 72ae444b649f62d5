/** Reads and validates `sidecar.yaml`. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import type { SidecarConfig } from "./types.js";
import { ConfigError, validateConfig } from "./validate.js";

/**
 * Loads a sidecar config file; throws `ConfigError` with one line per bad field.
 *
 * @example
 * const config = loadConfig("examples/sidecar.yaml");
 */
export function loadConfig(file: string, env?: Record<string, string | undefined>): SidecarConfig {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, "utf8");
  } catch (e) {
    throw new ConfigError([`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? e}`], abs);
  }
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: true });
  } catch (e) {
    throw new ConfigError([`is not valid YAML: ${(e as Error).message}`], abs);
  }
  return validateConfig(raw, { baseDir: dirname(abs), env, source: abs });
}

export type * from "./types.js";
export { ConfigError, validateConfig } from "./validate.js";
