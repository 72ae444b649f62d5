import type { Type } from "./types.js";

/**
 * Converts run-time representations to JSON values: timestamps and durations are numbers of
 * milliseconds at run time; as results they become RFC 3339 text and `"<seconds>s"` (CEL's form).
 */
export function toJson(v: unknown, t: Type): unknown {
  if (t.kind === "timestamp" && typeof v === "number") return new Date(v).toISOString();
  if (t.kind === "duration" && typeof v === "number") return `${v / 1000}s`;
  if (t.kind === "list" && Array.isArray(v)) return v.map((x) => toJson(x, t.elem));
  return v;
}
