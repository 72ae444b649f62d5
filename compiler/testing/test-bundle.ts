/**
 * What the test runner needs from a compiled bundle: its `decide` function and its `rules` table
 * (id → type, source location, condition source). Bundles compiled with coverage counters may
 * also expose `coverage` (see coverage.ts).
 */
import type { Decision, DecisionInput } from "../../runtime/decision/types.js";

/** One entry of a bundle's `rules` export. */
export interface RuleInfo {
  type: string;
  file: string;
  line: number;
  /** The rule's condition source (absent when the rule has no `when`). */
  when?: string;
  /** Constants available to the condition, when the bundle exports them. */
  [k: string]: unknown;
}

/**
 * Branch counters a bundle compiled with coverage exposes (optional): for each rule id, how many
 * times its condition was evaluated / true, and per branch site (`&&`, `||`, `?:` operand) a hit
 * count. `reset()` clears them.
 */
export interface BundleCoverageCounters {
  snapshot(): Record<string, { evaluated: number; matched: number; branches: number[] }>;
  reset(): void;
}

/** A bundle ready to be tested. */
export interface TestBundle {
  decide(input: DecisionInput): Decision;
  rules: Record<string, RuleInfo>;
  /** `compiled in memory from <dir>` or the bundle directory, for messages. */
  origin: string;
  /** Named constants of the compiled policies, when known (used to explain conditions). */
  constants?: Record<string, unknown>;
  coverage?: BundleCoverageCounters;
  /** Ids of the rules that run for an action name (bundle export `candidates`). */
  candidates?: (actionName: string) => string[];
  /** The object conditions see for an input (bundle export `context`). */
  context?: (input: DecisionInput) => Record<string, unknown>;
}

/** Checks the shape of an imported bundle module and wraps it. */
export function asTestBundle(mod: unknown, origin: string): TestBundle {
  const m = mod as Partial<{
    decide: unknown;
    rules: unknown;
    constants: unknown;
    coverage: unknown;
    candidates: unknown;
    context: unknown;
  }>;
  if (typeof m?.decide !== "function")
    throw new Error(`the bundle from ${origin} does not export a \`decide\` function`);
  const rules =
    typeof m.rules === "object" && m.rules !== null ? (m.rules as Record<string, RuleInfo>) : {};
  const bundle: TestBundle = {
    decide: m.decide as TestBundle["decide"],
    rules,
    origin,
  };
  if (typeof m.constants === "object" && m.constants !== null)
    bundle.constants = m.constants as Record<string, unknown>;
  if (typeof m.candidates === "function")
    bundle.candidates = m.candidates as TestBundle["candidates"];
  if (typeof m.context === "function") bundle.context = m.context as TestBundle["context"];
  const cov = m.coverage as Partial<BundleCoverageCounters> | undefined;
  if (cov && typeof cov.snapshot === "function" && typeof cov.reset === "function")
    bundle.coverage = cov as BundleCoverageCounters;
  return bundle;
}
