import type { Expr } from "../ast.js";
import { helps } from "../messages.js";
import { T } from "../types.js";
import type { Builtin, BuiltinGroup, Report } from "./builtin.js";

/** True when `tz` is an IANA time zone known to this Node.js (Intl). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function checkZone(_call: unknown, args: Expr[], report: Report): void {
  const a = args[0];
  if (a?.kind === "literal" && typeof a.value === "string" && !isTimeZone(a.value)) {
    report(a.span, "E0206", [a.value], helps.timeZone);
  }
}

const accessor = (name: string, summary: string): Builtin => ({
  name,
  summary,
  overloads: [
    { receiver: T.timestamp, params: [], result: T.number, helper: `$pg_${name}` },
    { receiver: T.timestamp, params: [T.string], result: T.number, helper: `$pg_${name}` },
  ],
  check: checkZone,
});

/**
 * Timestamp accessors (CEL semantics: `getMonth` and `getDayOfWeek` are 0-based, Sunday = 0;
 * `getDate` is 1-based). The optional argument is an IANA time zone; the default is UTC.
 */
export const timeBuiltins: BuiltinGroup = {
  name: "time",
  builtins: [
    accessor("getHours", "`t.getHours(tz?)`: hour of the day, 0-23"),
    accessor("getMinutes", "`t.getMinutes(tz?)`: minutes of the hour, 0-59"),
    accessor("getDayOfWeek", "`t.getDayOfWeek(tz?)`: day of the week, 0 = Sunday … 6 = Saturday"),
    accessor("getDate", "`t.getDate(tz?)`: day of the month, 1-31"),
    accessor("getMonth", "`t.getMonth(tz?)`: month of the year, 0 = January … 11 = December"),
    accessor("getFullYear", "`t.getFullYear(tz?)`: the year, e.g. 2026"),
  ],
  // The UTC offset of a zone is cached per 15-minute bucket of UTC time (at most 512 buckets per
  // zone): offsets and transitions of current IANA zones fall on multiples of 15 minutes, so the
  // cache never changes a result.
  prelude: String.raw`const $pg_tzFormats = new Map();
const $pg_tzOffsets = new Map();
function $pg_tzOffset(ms, tz) {
  if (tz === undefined || tz === "UTC") return 0;
  if (typeof tz !== "string") throw $pg_typeError("time zone string", tz);
  const bucket = Math.floor(ms / 900000);
  let offsets = $pg_tzOffsets.get(tz);
  if (offsets !== undefined) {
    const cached = offsets.get(bucket);
    if (cached !== undefined) return cached;
  }
  let f = $pg_tzFormats.get(tz);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: tz,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch (e) {
      throw new $pg_Error("R0005", "unknown time zone \u0060" + tz + "\u0060");
    }
    $pg_tzFormats.set(tz, f);
  }
  if (offsets === undefined) {
    offsets = new Map();
    $pg_tzOffsets.set(tz, offsets);
  }
  const start = bucket * 900000;
  const p = {};
  for (const part of f.formatToParts(start)) p[part.type] = part.value;
  const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const offset = local - start;
  if (offsets.size >= 512) offsets.clear();
  offsets.set(bucket, offset);
  return offset;
}
function $pg_local(t, tz) {
  const ms = $pg_t(t);
  return ms + $pg_tzOffset(ms, tz);
}
function $pg_getHours(t, tz) {
  const l = $pg_local(t, tz);
  return Math.floor((((l % 86400000) + 86400000) % 86400000) / 3600000);
}
function $pg_getMinutes(t, tz) {
  const l = $pg_local(t, tz);
  return Math.floor((((l % 3600000) + 3600000) % 3600000) / 60000);
}
function $pg_getDayOfWeek(t, tz) {
  const days = Math.floor($pg_local(t, tz) / 86400000);
  return (((days + 4) % 7) + 7) % 7;
}
function $pg_getDate(t, tz) {
  return new Date($pg_local(t, tz)).getUTCDate();
}
function $pg_getMonth(t, tz) {
  return new Date($pg_local(t, tz)).getUTCMonth();
}
function $pg_getFullYear(t, tz) {
  return new Date($pg_local(t, tz)).getUTCFullYear();
}
`,
};
