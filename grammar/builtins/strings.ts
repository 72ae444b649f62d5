import { isSafePattern } from "redos-detector";
import type { Expr } from "../ast.js";
import { helps } from "../messages.js";
import { T } from "../types.js";
import type { BuiltinGroup, Report } from "./builtin.js";

const strMethod = (name: string, summary: string, helper: string) => ({
  name,
  summary,
  overloads: [{ receiver: T.string, params: [T.string], result: T.bool, helper }],
});

/**
 * Splits a CEL/RE2-style leading flag group (`(?i)`, `(?s)`, `(?m)`, combined) off a pattern,
 * because JavaScript (Node 20) has no inline modifiers. Mirrors `$pg_reParts` in the PRELUDE.
 */
export function regexParts(pattern: string): { source: string; flags: string } {
  const m = /^\(\?([ims]+)\)/.exec(pattern);
  if (!m) return { source: pattern, flags: "u" };
  return { source: pattern.slice(m[0].length), flags: `${[...new Set(m[1])].sort().join("")}u` };
}

/**
 * Static check of a `matches` pattern: a string literal that compiles with the `u` flag and that
 * redos-detector proves free of catastrophic backtracking. CEL `matches` searches (it is not
 * anchored); the check anchors the pattern so it bounds the work from one start position
 * (exponential blow-ups are caught; the linear factor of searching is accepted).
 */
export function checkRegex(arg: Expr | undefined, report: Report): void {
  if (!arg) return;
  if (arg.kind !== "literal" || typeof arg.value !== "string") {
    report(arg.span, "E0203", []);
    return;
  }
  const { source, flags } = regexParts(arg.value);
  try {
    new RegExp(source, flags);
  } catch (e) {
    const why = (e as Error).message.replace(/^Invalid regular expression: (\/.*\/[a-z]*: )?/, "");
    report(arg.span, "E0201", [arg.value, why], helps.regexSyntax);
    return;
  }
  const anchored = source.startsWith("^") ? source : `^(?:${source})`;
  // redos-detector refuses `caseInsensitive` with `unicode`: with `i`, check without `u` first
  // (same backtracking structure), falling back to `u` when the pattern needs it to parse.
  const common = { dotAll: flags.includes("s"), multiLine: flags.includes("m") };
  const attempts = flags.includes("i")
    ? [
        { ...common, caseInsensitive: true },
        { ...common, unicode: true },
      ]
    : [{ ...common, unicode: true }];
  let safe = false;
  for (const options of attempts) {
    try {
      safe = isSafePattern(anchored, options).safe;
      break;
    } catch {
      safe = false;
    }
  }
  if (!safe) report(arg.span, "E0202", [arg.value], helps.redos);
}

/** String functions: startsWith, endsWith, contains, matches, lowerAscii, upperAscii. */
export const stringBuiltins: BuiltinGroup = {
  name: "strings",
  builtins: [
    strMethod(
      "startsWith",
      "`s.startsWith(prefix)`: true when `s` begins with `prefix`",
      "$pg_startsWith",
    ),
    strMethod("endsWith", "`s.endsWith(suffix)`: true when `s` ends with `suffix`", "$pg_endsWith"),
    strMethod("contains", "`s.contains(sub)`: true when `sub` occurs in `s`", "$pg_contains"),
    {
      name: "matches",
      summary: "`s.matches(re)`: true when the regular expression `re` matches part of `s`",
      overloads: [
        { receiver: T.string, params: [T.string], result: T.bool, helper: "$pg_matches" },
        { params: [T.string, T.string], result: T.bool, helper: "$pg_matches" },
      ],
      check(_call, args, report) {
        checkRegex(args[args.length - 1], report);
      },
      emit(call, _o, code, ctx) {
        const pat = (call.target ? call.args[0] : call.args[1]) as Expr;
        if (pat.kind !== "literal" || typeof pat.value !== "string") return undefined;
        const { source, flags } = regexParts(pat.value);
        const re = ctx.hoist("re", `new RegExp(${ctx.literal(source)}, ${ctx.literal(flags)})`);
        return `${re}.test($pg_s(${code[0]}))`;
      },
    },
    {
      name: "lowerAscii",
      summary: "`s.lowerAscii()`: `s` with ASCII letters in lower case",
      overloads: [{ receiver: T.string, params: [], result: T.string, helper: "$pg_lowerAscii" }],
    },
    {
      name: "upperAscii",
      summary: "`s.upperAscii()`: `s` with ASCII letters in upper case",
      overloads: [{ receiver: T.string, params: [], result: T.string, helper: "$pg_upperAscii" }],
    },
  ],
  prelude: String.raw`function $pg_startsWith(s, p) {
  return $pg_s(s).startsWith($pg_s(p));
}
function $pg_endsWith(s, p) {
  return $pg_s(s).endsWith($pg_s(p));
}
function $pg_contains(s, p) {
  return $pg_s(s).includes($pg_s(p));
}
function $pg_reParts(p) {
  const m = /^\(\?([ims]+)\)/.exec(p);
  if (m === null) return [p, "u"];
  return [p.slice(m[0].length), Array.from(new Set(m[1])).sort().join("") + "u"];
}
const $pg_reCache = new Map();
function $pg_matches(s, p) {
  let re = $pg_reCache.get($pg_s(p));
  if (re === undefined) {
    const parts = $pg_reParts(p);
    try {
      re = new RegExp(parts[0], parts[1]);
    } catch (e) {
      throw new $pg_Error("R0005", "invalid regular expression \u0060" + p + "\u0060");
    }
    $pg_reCache.set(p, re);
  }
  return re.test($pg_s(s));
}
function $pg_lowerAscii(s) {
  return $pg_s(s).replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
function $pg_upperAscii(s) {
  return $pg_s(s).replace(/[a-z]+/g, (m) => m.toUpperCase());
}
`,
};
