import type { Clock } from "../clock.js";
import type { CompiledBundle, Decision, DecisionInput } from "../decision/types.js";

/** The `policy` named in `errors[]` for failures of the runtime itself (not of a rule). */
export const ENGINE_ERROR_POLICY = "paracle.engine";

const EFFECTS = new Set(["allow", "deny", "require_approval"]);

/** A fail-closed decision: deny, carrying what went wrong. */
export function failClosed(message: string, hash: string, base?: Partial<Decision>): Decision {
  return {
    decision: "deny",
    reasons: ["the decision failed closed on an internal error"],
    matched: base?.matched ?? [],
    obligations: [],
    risk: base?.risk ?? { score: 0, level: "low", factors: [] },
    errors: [...(base?.errors ?? []), { policy: ENGINE_ERROR_POLICY, message }],
    bundle: { hash },
  };
}

const errorMessage = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : `thrown value: ${String(error)}`;

/** Checks what a bundle returned; returns a problem description or undefined. */
function problemWith(d: unknown): string | undefined {
  if (typeof d !== "object" || d === null) return "the bundle returned no decision object";
  const r = d as Record<string, unknown>;
  if (typeof r.decision !== "string" || !EFFECTS.has(r.decision)) {
    return `the bundle returned an unknown decision \`${String(r.decision)}\``;
  }
  for (const key of ["reasons", "matched", "obligations"]) {
    if (!Array.isArray(r[key])) return `the bundle returned a decision without a \`${key}\` list`;
  }
  return undefined;
}

/** Fills `time` (ISO 8601, from the clock, in `timeZone` when given) when the input has none. */
export function withTime(input: DecisionInput, clock: Clock, timeZone?: string): DecisionInput {
  if (input.time !== undefined) return input;
  return { ...input, time: isoTime(clock.now(), timeZone) };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: constructing an `Intl.DateTimeFormat` costs far more than using one. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The zone's wall clock minus UTC, per zone, for the last whole second asked: `formatToParts`
 * has a one-second granularity, so within a second the result is the same and a busy sidecar
 * formats once per second per zone instead of once per decision (measured ~5 µs per call).
 */
const lastSecond = new Map<string, { second: number; delta: number }>();

/** ISO 8601 with the zone's UTC offset (`2025-01-06T10:00:00.000+01:00`), or UTC (`Z`). */
let lastUtcMs = Number.NaN;
let lastUtcIso = "";

export function isoTime(ms: number, timeZone?: string): string {
  if (timeZone === undefined) {
    // calls within the same millisecond (bursts of concurrent decisions) share one string
    if (ms !== lastUtcMs) {
      lastUtcIso = new Date(ms).toISOString();
      lastUtcMs = ms;
    }
    return lastUtcIso;
  }
  const second = ms - (ms % 1000);
  let cached = lastSecond.get(timeZone);
  if (cached === undefined || cached.second !== second) {
    const parts = formatterFor(timeZone).formatToParts(new Date(ms));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const utcWall = Date.UTC(
      get("year"),
      get("month") - 1,
      get("day"),
      get("hour"),
      get("minute"),
      get("second"),
    );
    cached = { second, delta: utcWall - second };
    lastSecond.set(timeZone, cached);
  }
  const wall = second + cached.delta;
  const offsetMin = Math.round((wall - second) / 60_000);
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const local = new Date(wall + (((ms % 1000) + 1000) % 1000)).toISOString().slice(0, 23);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * Runs a bundle's `decide` and never throws: an exception or a malformed result becomes a deny
 * carrying `errors[]` (ARCHITECTURE.md: any internal error ⇒ deny). Sets `bundle.hash`.
 */
export function safeDecide(module: CompiledBundle, input: DecisionInput, hash: string): Decision {
  let result: unknown;
  try {
    result = module.decide(input);
  } catch (error) {
    return failClosed(`decide threw: ${errorMessage(error)}`, hash);
  }
  const problem = problemWith(result);
  if (problem !== undefined) return failClosed(problem, hash);
  const d = result as Decision;
  return {
    ...d,
    risk: d.risk ?? { score: 0, level: "low", factors: [] },
    bundle: { hash },
  };
}

export { errorMessage };
