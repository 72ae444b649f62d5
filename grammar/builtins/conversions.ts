import type { Expr } from "../ast.js";
import { helps } from "../messages.js";
import { coreRuntime as runtime } from "../prelude/instance.js";
import { T } from "../types.js";
import type { BuiltinGroup, Report } from "./builtin.js";

/** Validates a literal argument with a PRELUDE parser; reports `code` when it throws. */
function literalCheck(
  parse: (s: string) => unknown,
  code: "E0204" | "E0205",
  help: string,
): (call: unknown, args: Expr[], report: Report) => void {
  return (_call, args, report) => {
    const a = args[0];
    if (a?.kind !== "literal" || typeof a.value !== "string") return;
    try {
      parse(a.value);
    } catch {
      report(a.span, code, [a.value], help);
    }
  };
}

/** Folds a literal argument to a number literal at compile time (timestamps/durations are ms). */
function fold(parse: (s: string) => number) {
  return (call: { args: Expr[] }, _o: unknown, _code: string[]): string | undefined => {
    const a = call.args[0];
    if (a?.kind !== "literal" || typeof a.value !== "string") return undefined;
    return String(parse(a.value));
  };
}

/** Conversions: int, string, duration, timestamp. */
export const conversionBuiltins: BuiltinGroup = {
  name: "conversions",
  builtins: [
    {
      name: "int",
      summary:
        "`int(x)`: a number truncated toward zero; a decimal integer string; a timestamp as epoch seconds",
      overloads: [
        { params: [T.number], result: T.number, helper: "$pg_int" },
        { params: [T.string], result: T.number, helper: "$pg_int" },
        { params: [T.timestamp], result: T.number, helper: "$pg_intTimestamp" },
        { params: [T.duration], result: T.number, helper: "$pg_intDuration" },
        { params: [T.dyn], result: T.number, helper: "$pg_int", dynamic: true },
      ],
    },
    {
      name: "string",
      summary: "`string(x)`: text of a string, number, bool, timestamp (RFC 3339) or duration",
      overloads: [
        { params: [T.string], result: T.string, helper: "$pg_string" },
        { params: [T.number], result: T.string, helper: "$pg_string" },
        { params: [T.bool], result: T.string, helper: "$pg_string" },
        { params: [T.timestamp], result: T.string, helper: "$pg_timestampString" },
        { params: [T.duration], result: T.string, helper: "$pg_durationString" },
        { params: [T.dyn], result: T.string, helper: "$pg_string", dynamic: true },
      ],
    },
    {
      name: "duration",
      summary: '`duration("1h30m")`: a duration (units `ns us ms s m h d`)',
      overloads: [{ params: [T.string], result: T.duration, helper: "$pg_d" }],
      check: literalCheck(
        runtime.$pg_parseDuration as (s: string) => number,
        "E0204",
        helps.durationSyntax,
      ),
      emit: fold(runtime.$pg_parseDuration as (s: string) => number),
    },
    {
      name: "timestamp",
      summary: '`timestamp("2026-01-01T00:00:00Z")`: a point in time (RFC 3339)',
      overloads: [{ params: [T.string], result: T.timestamp, helper: "$pg_t" }],
      check: literalCheck(
        runtime.$pg_parseTimestamp as (s: string) => number,
        "E0205",
        helps.timestampSyntax,
      ),
      emit: fold(runtime.$pg_parseTimestamp as (s: string) => number),
    },
  ],
  prelude: String.raw`function $pg_int(v) {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new $pg_Error("R0005", "cannot convert " + v + " to int");
    return Math.trunc(v) + 0;
  }
  if (typeof v === "string") {
    if (!/^[+-]?\d+$/.test(v)) throw new $pg_Error("R0005", "cannot convert \u0060" + v + "\u0060 to int");
    return Number(v);
  }
  throw $pg_typeError("number or string", v);
}
function $pg_intTimestamp(v) {
  return Math.floor(v / 1000);
}
function $pg_intDuration(v) {
  return Math.trunc(v / 1000) + 0;
}
function $pg_string(v) {
  const t = typeof v;
  if (t === "string") return v;
  if (t === "number" || t === "boolean") return String(v);
  throw $pg_typeError("string, number or bool", v);
}
function $pg_timestampString(v) {
  return new Date(v).toISOString();
}
function $pg_durationString(v) {
  return v / 1000 + "s";
}
`,
};
