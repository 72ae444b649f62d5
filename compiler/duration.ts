/** Durations in policy files: a whole number followed by `ms`, `s`, `m`, `h` or `d`. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration string, or undefined if it is malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^([0-9]+)(ms|s|m|h|d)$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** Like parseDuration for values the validate stage already checked. */
export const durationMs = (text: string): number => parseDuration(text) ?? Number.NaN;
