import { DETECTORS } from "../../grammar/builtins/detectors.js";
import type { Obligation } from "../decision/types.js";
import { applyPath, parsePath } from "./redact-path.js";

/** What redaction needs of a detector (the shape of `grammar/builtins/detectors.ts` `Detector`). */
export interface RedactionDetector {
  /** Ranges `[start, end)` where the detector fires in `s`; never throws. */
  find(s: string): { start: number; end: number }[];
  /** True when a field of this name is itself sensitive (e.g. `password`). */
  testKey?(key: string): boolean;
}

export type DetectorMap = Readonly<Record<string, RedactionDetector>>;

export interface RedactOptions {
  /**
   * Detectors by id; default: the builtins of `grammar/builtins/detectors.ts` (the same code the
   * bundle's `pii()`/`sensitivity()` run). Pass `createDetectorSet(custom).detectors` for a
   * RiskModel's custom detectors.
   */
  detectors?: DetectorMap;
  /** Deepest nesting scanned; deeper values are replaced whole (default 64). */
  maxDepth?: number;
  /** Values visited at most; beyond, remaining strings are replaced whole (default 100,000). */
  maxNodes?: number;
}

/** One redaction performed, for the audit record (never the value itself). */
export interface Redaction {
  /** Location in the value, e.g. `args.card.number`, `result.rows[0].note`. */
  path: string;
  /** `path` (matched a configured path), a detector id, or `budget` / `unknown-detector`. */
  by: string;
  policy: string;
}

/** The mask written in place of a redacted value or substring. */
export const REDACTED = "[REDACTED]";
const mask = (by: string) => `[REDACTED:${by}]`;

/** Detector names accepted as aliases of the builtin ids. */
const ALIASES: Record<string, string> = { ssn: "us_ssn", health: "health_term", nir: "fr_nir" };

function clone(v: unknown, seen: WeakSet<object>): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (seen.has(v)) return REDACTED; // a cycle cannot be forwarded as JSON anyway
  seen.add(v);
  const out: unknown = Array.isArray(v)
    ? v.map((x) => clone(x, seen))
    : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x, seen)]));
  seen.delete(v);
  return out;
}

interface Scan {
  detectors: [string, RedactionDetector, string][];
  unknown: string | undefined;
  maxDepth: number;
  nodesLeft: number;
  out: Redaction[];
}

/** Masks detector matches in every string of `v` (in place); returns the replacement of `v`. */
function scan(v: unknown, s: Scan, where: string, depth: number, key?: string): unknown {
  if (typeof v === "string" || typeof v === "object") {
    if (s.nodesLeft-- <= 0 || depth > s.maxDepth) {
      if (v === null) return v;
      s.out.push({ path: where, by: "budget", policy: s.detectors[0]?.[2] ?? "" });
      return mask("budget");
    }
  }
  if (key !== undefined && v !== null && v !== "" && v !== undefined) {
    for (const [id, d, policy] of s.detectors) {
      if (d.testKey?.(key)) {
        s.out.push({ path: where, by: id, policy });
        return mask(id);
      }
    }
  }
  if (typeof v === "string") {
    if (s.unknown !== undefined) {
      s.out.push({ path: where, by: "unknown-detector", policy: s.unknown });
      return REDACTED;
    }
    return maskString(v, s, where);
  }
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = scan(v[i], s, `${where}[${i}]`, depth + 1);
  } else {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o))
      o[k] = scan(o[k], s, where === "" ? k : `${where}.${k}`, depth + 1, k);
  }
  return v;
}

function maskString(text: string, s: Scan, where: string): string {
  const ranges: { start: number; end: number; id: string; policy: string }[] = [];
  for (const [id, d, policy] of s.detectors) {
    for (const r of d.find(text)) ranges.push({ ...r, id, policy });
  }
  if (ranges.length === 0) return text;
  // Overlapping matches merge; the earliest-starting detector names the masked span.
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = "";
  let pos = 0;
  for (const r of ranges) {
    if (r.end <= pos) continue;
    if (r.start >= pos) {
      out += text.slice(pos, r.start) + mask(r.id);
      s.out.push({ path: where, by: r.id, policy: r.policy });
    }
    pos = r.end;
  }
  return out + text.slice(pos);
}

/**
 * Applies the `redact` obligations that target `where` to `value` (the tool arguments or the tool
 * result) and returns a redacted deep copy plus what was redacted. Configured paths are replaced
 * whole by `[REDACTED]`; detector matches inside strings by `[REDACTED:<id>]`, and a field whose
 * name is itself sensitive (`password`) whole. Fails closed: a malformed path, an unknown
 * detector, or a value beyond the depth/size budget is masked whole rather than passed through.
 */
export function redactWithReport(
  value: unknown,
  obligations: readonly Obligation[],
  where: "args" | "result",
  opts: RedactOptions = {},
): { value: unknown; redactions: Redaction[] } {
  const rules = obligations.filter(
    (o): o is Extract<Obligation, { type: "redact" }> =>
      o.type === "redact" &&
      (!Array.isArray(o.in) || o.in.length === 0 || (o.in as string[]).includes(where)),
  );
  if (rules.length === 0) return { value, redactions: [] };
  const detectorMap = opts.detectors ?? DETECTORS;
  const redactions: Redaction[] = [];
  const holder: Record<string, unknown> = { [where]: clone(value, new WeakSet()) };
  const s: Scan = {
    detectors: [],
    unknown: undefined,
    maxDepth: opts.maxDepth ?? 64,
    nodesLeft: opts.maxNodes ?? 100_000,
    out: redactions,
  };
  for (const rule of rules) {
    for (const p of rule.paths ?? []) {
      const parsed = parsePath(p);
      if (parsed === undefined) {
        // An unparseable path cannot be honoured: mask the whole value rather than leak.
        redactions.push({ path: where, by: "path", policy: rule.policy });
        return { value: REDACTED, redactions };
      }
      if (parsed.root !== undefined && parsed.root !== where) continue;
      applyPath(holder, [{ key: where }, ...parsed.segments], (old, at) => {
        if (old === undefined) return old;
        redactions.push({ path: at, by: "path", policy: rule.policy });
        return REDACTED;
      });
    }
    for (const name of rule.detectors ?? []) {
      const id = name in detectorMap ? name : (ALIASES[name] ?? name);
      const d = detectorMap[id];
      if (d === undefined) s.unknown ??= rule.policy;
      else s.detectors.push([id, d, rule.policy]);
    }
  }
  if (s.detectors.length > 0 || s.unknown !== undefined) {
    holder[where] = scan(holder[where], s, where, 0);
  }
  return { value: holder[where], redactions };
}

/**
 * Returns a redacted deep copy of `value` (see {@link redactWithReport}).
 *
 * @example
 * redact({ card: { number: "4111 1111 1111 1111" }, note: "mail bob@example.com" },
 *   [{ type: "redact", policy: "pii", paths: ["args.card.number"], detectors: ["email"] }], "args");
 * // { card: { number: "[REDACTED]" }, note: "mail [REDACTED:email]" }
 */
export function redact(
  value: unknown,
  obligations: readonly Obligation[],
  where: "args" | "result",
  opts?: RedactOptions,
): unknown {
  return redactWithReport(value, obligations, where, opts).value;
}
