/**
 * The published JSON Schema (schema/policy.schema.json), loaded once. Read from the package root
 * at run time (it ships in the npm package, see package.json `files`), both from sources and from
 * `dist/`.
 */
import { readFileSync } from "node:fs";

function findSchema(): unknown {
  const candidates = [
    new URL("../../schema/policy.schema.json", import.meta.url),
    new URL("../../../schema/policy.schema.json", import.meta.url),
  ];
  for (const url of candidates) {
    try {
      return JSON.parse(readFileSync(url, "utf8"));
    } catch {
      // try the next location (sources vs dist/)
    }
  }
  throw new Error("schema/policy.schema.json not found next to the compiler");
}

export const schema = findSchema() as Record<string, unknown>;
