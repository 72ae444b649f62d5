/**
 * Matching of a case's expectations against an actual decision. Pure: returns one mismatch per
 * failed assertion (all of them, so a failing case shows everything that differs).
 */
import type { Decision, Obligation } from "../../runtime/decision/types.js";
import { isPlainObject } from "./fixtures.js";
import type { Expectation } from "./suite.js";

/** One failed assertion: the `expect` field, what was expected, what the decision had. */
export interface Mismatch {
  field: string;
  expected: unknown;
  actual: unknown;
  message: string;
}

/** Compares a decision with an expectation; an empty list means the case passes. */
export function checkExpectation(expect: Expectation, decision: Decision): Mismatch[] {
  const out: Mismatch[] = [];
  const matchedIds = (decision.matched ?? []).map((m) => m.id);
  const fail = (field: string, expected: unknown, actual: unknown, message: string) =>
    out.push({ field, expected, actual, message });

  if (expect.decision !== undefined && decision.decision !== expect.decision)
    fail(
      "decision",
      expect.decision,
      decision.decision,
      `expected \`${expect.decision}\`, got \`${decision.decision}\``,
    );

  if (expect.matched) {
    const missing = expect.matched.filter((id) => !matchedIds.includes(id));
    if (missing.length > 0)
      fail("matched", expect.matched, matchedIds, `rules not matched: ${ticks(missing)}`);
  }
  if (expect.matched_exactly) {
    const want = [...new Set(expect.matched_exactly)].sort();
    const got = [...new Set(matchedIds)].sort();
    if (want.join("\0") !== got.join("\0")) {
      const missing = want.filter((id) => !got.includes(id));
      const extra = got.filter((id) => !want.includes(id));
      const parts = [];
      if (missing.length > 0) parts.push(`missing ${ticks(missing)}`);
      if (extra.length > 0) parts.push(`unexpected ${ticks(extra)}`);
      fail("matched_exactly", want, got, parts.join("; "));
    }
  }
  if (expect.not_matched) {
    const present = expect.not_matched.filter((id) => matchedIds.includes(id));
    if (present.length > 0)
      fail(
        "not_matched",
        expect.not_matched,
        matchedIds,
        `rules matched but should not: ${ticks(present)}`,
      );
  }

  const obligations = decision.obligations ?? [];
  if (expect.obligations) {
    for (const want of expect.obligations) {
      if (!obligations.some((o) => obligationMatches(want, o)))
        fail(
          "obligations",
          want,
          obligations,
          typeof want === "string"
            ? `no obligation of type \`${want}\``
            : `no obligation matches ${JSON.stringify(want)}`,
        );
    }
  }
  if (expect.not_obligations) {
    const present = expect.not_obligations.filter((t) => obligations.some((o) => o.type === t));
    if (present.length > 0)
      fail(
        "not_obligations",
        expect.not_obligations,
        obligations.map((o) => o.type),
        `unexpected obligations: ${ticks(present)}`,
      );
  }

  if (expect.reasons_contain) {
    for (const part of expect.reasons_contain) {
      if (!(decision.reasons ?? []).some((r) => r.includes(part)))
        fail("reasons_contain", part, decision.reasons ?? [], `no reason contains \`${part}\``);
    }
  }

  if (expect.risk) {
    const risk = decision.risk;
    if (expect.risk.level !== undefined && risk?.level !== expect.risk.level)
      fail(
        "risk.level",
        expect.risk.level,
        risk?.level,
        `expected \`${expect.risk.level}\`, got \`${risk?.level}\``,
      );
    const range = expect.risk.score;
    if (range) {
      const score = risk?.score;
      const low = range.min ?? Number.NEGATIVE_INFINITY;
      const high = range.max ?? Number.POSITIVE_INFINITY;
      if (typeof score !== "number" || score < low || score > high)
        fail(
          "risk.score",
          range,
          score,
          `expected a score in ${describeRange(range)}, got ${score}`,
        );
    }
  }

  if (expect.approval) {
    const a = decision.approval;
    const { levels, roles, template, required } = expect.approval;
    const isRequired = a !== undefined;
    if (required !== undefined && isRequired !== required)
      fail(
        "approval.required",
        required,
        isRequired,
        required ? "no approval is required" : "an approval is required",
      );
    if ((levels !== undefined || roles || template !== undefined) && !a && required !== false)
      fail("approval", expect.approval, undefined, "the decision carries no approval requirement");
    if (a) {
      if (levels !== undefined && a.levels.length !== levels)
        fail(
          "approval.levels",
          levels,
          a.levels.length,
          `expected ${levels} approval level(s), got ${a.levels.length}`,
        );
      if (roles) {
        const have = new Set(a.levels.flatMap((l) => l.roles));
        const missing = roles.filter((r) => !have.has(r));
        if (missing.length > 0)
          fail(
            "approval.roles",
            roles,
            [...have],
            `roles not in the approval chain: ${ticks(missing)}`,
          );
      }
      if (template !== undefined && a.template !== template)
        fail(
          "approval.template",
          template,
          a.template,
          `expected template \`${template}\`, got \`${a.template}\``,
        );
    }
  }

  if (expect.dry_run) {
    const runs = decision.dry_run ?? [];
    if (expect.dry_run.length === 0 && runs.length > 0)
      fail("dry_run", [], runs, `unexpected dry runs: ${ticks(runs.map((r) => r.policy))}`);
    for (const want of expect.dry_run) {
      const w = typeof want === "string" ? { policy: want } : want;
      const ok = runs.some(
        (r) =>
          (w.policy === undefined || r.policy === w.policy) &&
          (w.decision === undefined || r.decision === w.decision),
      );
      if (!ok) fail("dry_run", want, runs, `no dry run matches ${JSON.stringify(want)}`);
    }
  }

  const errors = (decision.errors ?? []).map((e) => `${e.policy}: ${e.message}`);
  if (expect.errors === undefined) {
    if (errors.length > 0)
      fail(
        "errors",
        [],
        errors,
        `condition errors: ${errors.join("; ")} (declare \`expect.errors\` if intended)`,
      );
  } else if (expect.errors.length === 0) {
    if (errors.length > 0) fail("errors", [], errors, `condition errors: ${errors.join("; ")}`);
  } else {
    for (const part of expect.errors) {
      if (!errors.some((e) => e.includes(part)))
        fail("errors", part, errors, `no condition error contains \`${part}\``);
    }
  }
  return out;
}

/**
 * A bare type matches any obligation of that type; an object matches when every key it lists
 * deep-matches the obligation (lists: every expected element is present).
 */
export function obligationMatches(
  want: string | Record<string, unknown>,
  actual: Obligation,
): boolean {
  if (typeof want === "string") return actual.type === want;
  return partialMatch(want, actual);
}

function partialMatch(want: unknown, actual: unknown): boolean {
  if (Array.isArray(want)) {
    if (!Array.isArray(actual)) return false;
    return want.every((w) => actual.some((a) => partialMatch(w, a)));
  }
  if (isPlainObject(want)) {
    if (!isPlainObject(actual)) return false;
    return Object.entries(want).every(
      ([k, v]) => Object.hasOwn(actual, k) && partialMatch(v, actual[k]),
    );
  }
  return Object.is(want, actual);
}

function ticks(ids: string[]): string {
  return ids.map((id) => `\`${id}\``).join(", ");
}

function describeRange(r: { min?: number; max?: number }): string {
  return `[${r.min ?? "-∞"}, ${r.max ?? "+∞"}]`;
}
