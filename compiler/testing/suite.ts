/**
 * The model of a policy test suite (`*_test.yaml`, kind `PolicyTest`), after loading, fixture
 * resolution and validation. See docs/testing-policies.md for the file format.
 */

/** The project-wide source span and diagnostic shapes (end inclusive), from the grammar. */
import type { Diagnostic, Span } from "../../grammar/index.js";
import type { DecisionEffect, DecisionInput, RiskLevelName } from "../../runtime/decision/types.js";

export type { Diagnostic, Span };

/** An expected obligation: a bare type, or a partial object deep-matched against one obligation. */
export type ObligationExpectation = string | Record<string, unknown>;

/** What a case asserts about the decision. Every field is optional; absent means "not checked". */
export interface Expectation {
  decision?: DecisionEffect;
  /** These rule ids must all be among `decision.matched` (subset). */
  matched?: string[];
  /** `decision.matched` ids must be exactly this set (order ignored). */
  matched_exactly?: string[];
  /** None of these rule ids may be matched. */
  not_matched?: string[];
  /** Each entry must be satisfied by at least one obligation. */
  obligations?: ObligationExpectation[];
  /** No obligation may have any of these types. */
  not_obligations?: string[];
  /** Each substring must occur in at least one reason. */
  reasons_contain?: string[];
  risk?: { level?: RiskLevelName; score?: { min?: number; max?: number } };
  approval?: { levels?: number; roles?: string[]; template?: string; required?: boolean };
  /**
   * Would-be decisions of `dry_run` policies: each entry (a policy id, or `{policy?, decision?}`)
   * must match one recorded dry run; `[]` asserts there is none.
   */
  dry_run?: (string | { policy?: string; decision?: DecisionEffect })[];
  /**
   * Condition errors reported by the decision. Absent: any error fails the case (a condition
   * that errors is almost always a policy bug). `[]`: no error. Otherwise each substring must
   * occur in some error message.
   */
  errors?: string[];
}

/** One test case, input fully resolved (fixtures applied, clock pinned). */
export interface TestCase {
  name: string;
  description?: string;
  span: Span;
  input: DecisionInput;
  expect: Expectation;
  skip: boolean;
}

/** A loaded `PolicyTest` document. */
export interface TestSuite {
  name: string;
  description?: string;
  file: string;
  span: Span;
  /** Pinned clock (ISO 8601) applied to every case input that has no `time`. */
  now?: string;
  cases: TestCase[];
}

export const decisionEffects: readonly DecisionEffect[] = ["allow", "deny", "require_approval"];
export const riskLevels: readonly RiskLevelName[] = ["low", "medium", "high", "critical"];
