/**
 * Stage 1 of the risk model compiler: checks the RiskModel document's shape and numbers and
 * applies the defaults. Expressions are only located here; they are type-checked in stage 2
 * (compile.ts). Reports every problem at once.
 */
import { isSafePattern } from "redos-detector";
import {
  DETECTOR_IDS,
  SENSITIVITY_CLASSES,
  type SensitivityClass,
} from "../../grammar/builtins/detectors.js";
import { isTimeZone as validTimeZone } from "../../grammar/builtins/time.js";
import type { Diagnostic, Origin, Span } from "../../grammar/index.js";
import { closest, type RiskMessage, RM } from "./messages.js";
import {
  type Adjustment,
  type Combination,
  type CustomDetectorSpec,
  DEFAULT_LEVELS,
  type ExpressionSource,
  type FactorSpec,
  LEVEL_ACTIONS,
  LEVEL_NAMES,
  type LevelAction,
  type LevelName,
  type LevelSpec,
  type MatchMode,
  type RiskModelSpec,
} from "./model.js";

export type Path = (string | number)[];
export type Locate = (path: Path) => Span;
/** Where an expression's text starts (optional: the compiler knows quoting; default = node start). */
export type ExpressionOrigin = (path: Path) => { text: string; origin: Origin } | undefined;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
/** Identifiers; `__proto__`, `constructor` and `prototype` are reserved (object keys at run time). */
const IDENT = /^(?!(?:__proto__|constructor|prototype)$)[A-Za-z_][A-Za-z0-9_]*$/;

export const SPEC_KEYS = ["timezone", "combination", "factors", "levels", "alert_at", "detectors"];
export const FACTOR_KEYS = [
  "id",
  "description",
  "weight",
  "max",
  "expression",
  "lookup",
  "bands",
  "adjustments",
  "clamp",
  "on_error",
];

export function validateRiskModel(
  doc: unknown,
  locate: Locate,
  exprOrigin?: ExpressionOrigin,
): { spec: RiskModelSpec | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (m: RiskMessage, path: Path) => {
    const d: Diagnostic = {
      code: m.code,
      severity: "error",
      message: m.message,
      span: locate(path),
    };
    if (m.help !== undefined) d.help = m.help;
    diagnostics.push(d);
  };
  const unknownKeys = (o: Obj, allowed: string[], where: string, path: Path) => {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k))
        report(RM.unknownField(k, where, closest(k, allowed)), [...path, k]);
    }
  };
  const expr = (v: unknown, path: Path, field: string): ExpressionSource | undefined => {
    if (typeof v !== "string") {
      report(RM.wrongType(field, "a condition-language expression (a string)"), path);
      return undefined;
    }
    const span = locate(path);
    const at = exprOrigin?.(path);
    return {
      text: at?.text ?? v,
      origin: at?.origin ?? { file: span.file, line: span.line, col: span.col },
      span,
      path,
    };
  };
  const num = (o: Obj, key: string, path: Path, dflt?: number): number | undefined => {
    const v = o[key];
    if (v === undefined) return dflt;
    if (!isNum(v)) {
      report(RM.wrongType(key, "a number"), [...path, key]);
      return undefined;
    }
    return v;
  };

  const root = isObj(doc) ? doc : {};
  const name =
    isObj(root.metadata) && typeof root.metadata.name === "string" ? root.metadata.name : "risk";
  const specValue = root.spec;
  if (!isObj(specValue)) {
    report(
      specValue === undefined ? RM.missing("spec", "the RiskModel") : RM.notAMapping("`spec`"),
      ["spec"],
    );
    return { spec: undefined, diagnostics };
  }
  const spec = specValue;
  unknownKeys(spec, SPEC_KEYS, "the RiskModel `spec`", ["spec"]);

  let timezone: string | undefined;
  if (spec.timezone !== undefined) {
    if (typeof spec.timezone === "string" && validTimeZone(spec.timezone)) timezone = spec.timezone;
    else report(RM.badTimeZone(spec.timezone), ["spec", "timezone"]);
  }

  const detectors = validateDetectors(spec.detectors, report);
  const customIds = detectors.map((d) => d.id);

  const factors: FactorSpec[] = [];
  if (!Array.isArray(spec.factors) || spec.factors.length === 0) {
    report(
      spec.factors === undefined || Array.isArray(spec.factors)
        ? RM.noFactors()
        : RM.wrongType("factors", "a list"),
      ["spec", "factors"],
    );
  } else {
    const seen = new Set<string>();
    spec.factors.forEach((f: unknown, i: number) => {
      const path: Path = ["spec", "factors", i];
      if (!isObj(f)) {
        report(RM.notAMapping("a factor"), path);
        return;
      }
      unknownKeys(f, FACTOR_KEYS, "a factor", path);
      if (f.id === undefined) {
        report(RM.missing("id", "a factor"), path);
        return;
      }
      if (typeof f.id !== "string" || !IDENT.test(f.id)) {
        report(RM.badId(f.id), [...path, "id"]);
        return;
      }
      const id = f.id;
      if (seen.has(id)) report(RM.duplicateId("factor", id), [...path, "id"]);
      seen.add(id);
      const weight = num(f, "weight", path, 1);
      if (weight !== undefined && weight <= 0)
        report(RM.notPositive("weight", id, weight), [...path, "weight"]);
      let max = num(f, "max", path);
      if (f.max === undefined) report(RM.missing("max", `factor \`${id}\``), path);
      else if (max !== undefined && max <= 0)
        report(RM.notPositive("max", id, max), [...path, "max"]);
      max ??= 1;
      const kinds = ["expression", "lookup", "bands"].filter((k) => f[k] !== undefined);
      if (kinds.length !== 1) {
        report(RM.factorKind(id), kinds.length > 1 ? [...path, kinds[1]!] : path);
        return;
      }
      const adjustments = validateAdjustments(f.adjustments, [...path, "adjustments"]);
      let clamp: [number, number] | undefined;
      if (f.clamp !== undefined) {
        const c = f.clamp;
        if (Array.isArray(c) && c.length === 2 && isNum(c[0]) && isNum(c[1]) && c[0] <= c[1])
          clamp = [c[0], c[1]];
        else report(RM.badClamp(), [...path, "clamp"]);
      }
      const onError = num(f, "on_error", path, max) ?? max;
      const base = { id, weight: weight ?? 1, max, adjustments, onError, span: locate(path) };
      const withClamp = clamp === undefined ? base : { ...base, clamp };
      const factor = validateKind(kinds[0]!, f, path, customIds);
      if (factor) factors.push({ ...withClamp, ...factor } as FactorSpec);
    });
  }

  const combination = validateCombination(spec.combination);
  const levels = validateLevels(spec.levels);
  let alertAt: LevelName | undefined = "high";
  if (spec.alert_at !== undefined) {
    if (spec.alert_at === "none") alertAt = undefined;
    else if (
      typeof spec.alert_at === "string" &&
      (LEVEL_NAMES as readonly string[]).includes(spec.alert_at)
    ) {
      alertAt = spec.alert_at as LevelName;
    } else {
      report(RM.unknownLevel(String(spec.alert_at), closest(String(spec.alert_at), LEVEL_NAMES)), [
        "spec",
        "alert_at",
      ]);
    }
  }

  const ok = diagnostics.length === 0;
  return {
    spec: ok
      ? {
          name,
          ...(timezone ? { timezone } : {}),
          combination,
          factors,
          levels,
          alertAt,
          detectors,
        }
      : undefined,
    diagnostics,
  };

  function validateAdjustments(v: unknown, path: Path): Adjustment[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      report(RM.wrongType("adjustments", "a list of `{when, add}`"), path);
      return [];
    }
    const out: Adjustment[] = [];
    v.forEach((a: unknown, j: number) => {
      const p = [...path, j];
      if (!isObj(a)) {
        report(RM.notAMapping("an adjustment"), p);
        return;
      }
      unknownKeys(a, ["when", "add"], "an adjustment", p);
      if (a.when === undefined) {
        report(RM.missing("when", "an adjustment"), p);
        return;
      }
      if (a.add === undefined) {
        report(RM.missing("add", "an adjustment"), p);
        return;
      }
      const add = num(a, "add", p);
      const when = expr(a.when, [...p, "when"], "when");
      if (when && add !== undefined) out.push({ when, add });
    });
    return out;
  }

  function validateKind(
    kind: string,
    f: Obj,
    path: Path,
    customIds: string[],
  ): Partial<FactorSpec> | undefined {
    if (kind === "expression") {
      const e = expr(f.expression, [...path, "expression"], "expression");
      return e && { kind: "expression", expression: e };
    }
    const p: Path = [...path, kind];
    const body = f[kind];
    if (!isObj(body)) {
      report(RM.notAMapping(`\`${kind}\``), p);
      return undefined;
    }
    if (kind === "lookup") {
      unknownKeys(body, ["expression", "table", "match", "default"], "a lookup", p);
      const e =
        body.expression === undefined
          ? report(RM.missing("expression", "a lookup"), p)
          : expr(body.expression, [...p, "expression"], "expression");
      const match = (body.match ?? "exact") as MatchMode;
      if (!["exact", "glob", "contains"].includes(match))
        report(RM.badMatch(body.match), [...p, "match"]);
      const table: { key: string; value: number }[] = [];
      if (!isObj(body.table))
        report(
          body.table === undefined
            ? RM.missing("table", "a lookup")
            : RM.wrongType("table", "a mapping of keys to numbers"),
          [...p, "table"],
        );
      else {
        for (const [key, value] of Object.entries(body.table)) {
          if (!isNum(value)) report(RM.wrongType(key, "a number"), [...p, "table", key]);
          else table.push({ key, value });
        }
        checkTableKeys(
          typeof body.expression === "string" ? body.expression : "",
          table,
          [...p, "table"],
          customIds,
        );
      }
      const dflt = num(body, "default", p, 0);
      return e && dflt !== undefined
        ? { kind: "lookup", expression: e, match, table, default: dflt }
        : undefined;
    }
    unknownKeys(body, ["expression", "bands", "default"], "bands", p);
    const e =
      body.expression === undefined
        ? report(RM.missing("expression", "`bands`"), p)
        : expr(body.expression, [...p, "expression"], "expression");
    const bands: { from: number; to: number; value: number }[] = [];
    if (!Array.isArray(body.bands) || body.bands.length === 0) {
      report(RM.wrongType("bands", "a non-empty list of `{from, to, value}`"), [...p, "bands"]);
    } else {
      body.bands.forEach((b: unknown, j: number) => {
        const bp: Path = [...p, "bands", j];
        if (!isObj(b)) {
          report(RM.notAMapping("a band"), bp);
          return;
        }
        unknownKeys(b, ["from", "to", "value"], "a band", bp);
        const from = num(b, "from", bp);
        const to = num(b, "to", bp);
        const value = num(b, "value", bp);
        for (const k of ["from", "to", "value"])
          if (b[k] === undefined) report(RM.missing(k, "a band"), bp);
        if (from === undefined || to === undefined || value === undefined) return;
        if (!(from < to)) {
          report(RM.bandRange(from, to), bp);
          return;
        }
        for (const other of bands) {
          if (from < other.to && other.from < to) {
            report(RM.bandOverlap(`${other.from}–${other.to}`, `${from}–${to}`), bp);
            return;
          }
        }
        bands.push({ from, to, value });
      });
    }
    const dflt = num(body, "default", p, 0);
    return e && dflt !== undefined
      ? { kind: "bands", expression: e, bands, default: dflt }
      : undefined;
  }

  /** A lookup over `sensitivity(...)` or `detect(...)` must use known class / detector names. */
  function checkTableKeys(
    source: string,
    table: { key: string }[],
    path: Path,
    customIds: string[],
  ) {
    const s = source.trim();
    if (/^sensitivity\s*\(/.test(s)) {
      for (const { key } of table) {
        if (!(SENSITIVITY_CLASSES as readonly string[]).includes(key)) {
          report(RM.unknownSensitivityKey(key, closest(key, SENSITIVITY_CLASSES)), [...path, key]);
        }
      }
    } else if (/^detect\s*\(/.test(s)) {
      const known = [...DETECTOR_IDS, ...customIds];
      for (const { key } of table) {
        if (!known.includes(key))
          report(RM.unknownDetector(key, closest(key, known)), [...path, key]);
      }
    }
  }

  function validateCombination(v: unknown): Combination {
    const path: Path = ["spec", "combination"];
    if (v === undefined || v === "weighted") return { kind: "weighted" };
    if (v === "max") return { kind: "max" };
    if (isObj(v) && v.expression !== undefined) {
      unknownKeys(v, ["expression"], "`combination`", path);
      const e = expr(v.expression, [...path, "expression"], "expression");
      if (e) return { kind: "expression", expression: e };
      return { kind: "weighted" };
    }
    report(RM.badCombination(isObj(v) ? JSON.stringify(v) : v), path);
    return { kind: "weighted" };
  }

  function validateLevels(v: unknown): LevelSpec[] {
    const path: Path = ["spec", "levels"];
    const levels = DEFAULT_LEVELS.map((l) => ({ ...l }));
    if (v === undefined) return levels;
    if (!isObj(v)) {
      report(RM.notAMapping("`levels`"), path);
      return levels;
    }
    for (const [key, body] of Object.entries(v)) {
      const lp: Path = [...path, key];
      const level = levels.find((l) => l.name === key);
      if (!level) {
        report(RM.unknownLevel(key, closest(key, LEVEL_NAMES)), lp);
        continue;
      }
      if (!isObj(body)) {
        report(RM.notAMapping(`level \`${key}\``), lp);
        continue;
      }
      unknownKeys(body, ["max", "action", "template"], `level \`${key}\``, lp);
      if (body.max !== undefined) {
        if (!isNum(body.max) || body.max < 0 || body.max > 100)
          report(RM.levelRange(key, body.max), [...lp, "max"]);
        else level.max = body.max;
      }
      if (body.action !== undefined) {
        if ((LEVEL_ACTIONS as readonly unknown[]).includes(body.action))
          level.action = body.action as LevelAction;
        else report(RM.badAction(body.action), [...lp, "action"]);
      }
      if (body.template !== undefined) {
        if (typeof body.template === "string" && body.template !== "")
          level.template = body.template;
        else
          report(RM.wrongType("template", "the name of an ApprovalTemplate"), [...lp, "template"]);
      }
    }
    for (let i = 1; i < levels.length; i++) {
      const prev = levels[i - 1]!;
      const cur = levels[i]!;
      if (!(cur.max > prev.max)) {
        report(RM.levelOrder(cur.name, cur.max, prev.name, prev.max), [
          ...path,
          isObj(v) && cur.name in v ? cur.name : prev.name,
        ]);
      }
    }
    const last = levels[levels.length - 1]!;
    if (last.max !== 100) report(RM.levelCoverage(last.max), [...path, "critical"]);
    return levels;
  }

  function validateDetectors(v: unknown, rep: typeof report): CustomDetectorSpec[] {
    const path: Path = ["spec", "detectors"];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      rep(RM.wrongType("detectors", "a list of `{id, pattern, sensitivity}`"), path);
      return [];
    }
    const out: CustomDetectorSpec[] = [];
    const seen = new Set<string>();
    v.forEach((d: unknown, i: number) => {
      const p: Path = [...path, i];
      if (!isObj(d)) {
        rep(RM.notAMapping("a detector"), p);
        return;
      }
      unknownKeys(d, ["id", "pattern", "sensitivity", "flags", "description"], "a detector", p);
      for (const k of ["id", "pattern", "sensitivity"])
        if (d[k] === undefined) rep(RM.missing(k, "a detector"), p);
      if (d.id === undefined || d.pattern === undefined || d.sensitivity === undefined) return;
      if (typeof d.id !== "string" || !IDENT.test(d.id)) {
        rep(RM.badId(d.id), [...p, "id"]);
        return;
      }
      if (DETECTOR_IDS.includes(d.id)) {
        rep(RM.detectorShadows(d.id), [...p, "id"]);
        return;
      }
      if (seen.has(d.id)) {
        rep(RM.duplicateId("detector", d.id), [...p, "id"]);
        return;
      }
      seen.add(d.id);
      if (!(SENSITIVITY_CLASSES as readonly unknown[]).includes(d.sensitivity)) {
        rep(RM.badSensitivity(d.sensitivity), [...p, "sensitivity"]);
        return;
      }
      const flags = d.flags === undefined ? "" : d.flags;
      if (typeof flags !== "string" || !/^(?!.*(.).*\1)[imsu]*$/.test(flags)) {
        rep(RM.wrongType("flags", "a combination of `i`, `m`, `s` and `u`"), [...p, "flags"]);
        return;
      }
      if (typeof d.pattern !== "string") {
        rep(RM.wrongType("pattern", "a string"), [...p, "pattern"]);
        return;
      }
      let re: RegExp;
      try {
        re = new RegExp(d.pattern, flags);
      } catch (e) {
        rep(RM.badRegex((e as Error).message), [...p, "pattern"]);
        return;
      }
      if (re.test("")) {
        rep(RM.emptyMatch(d.pattern), [...p, "pattern"]);
        return;
      }
      if (!regexIsSafe(d.pattern, flags)) {
        rep(RM.unsafeRegex(d.pattern), [...p, "pattern"]);
        return;
      }
      out.push({
        id: d.id,
        pattern: d.pattern,
        flags,
        sensitivity: d.sensitivity as SensitivityClass,
      });
    });
    return out;
  }
}

/** redos-detector (see docs/decisions.md): a bounded score, within a bounded analysis time. */
function regexIsSafe(pattern: string, flags: string): boolean {
  try {
    return isSafePattern(pattern, {
      caseInsensitive: flags.includes("i"),
      unicode: flags.includes("u"),
      dotAll: flags.includes("s"),
      multiLine: flags.includes("m"),
      timeout: 1000,
    }).safe;
  } catch {
    return false;
  }
}
