/** The messages `validateConfig` reports for `raw` (none when it is valid); for the config tests. */
import { ConfigError, validateConfig } from "../validate.js";

export function configProblems(raw: unknown, env: Record<string, string> = {}): string[] {
  try {
    validateConfig(raw, { baseDir: "/cfg", env });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}
