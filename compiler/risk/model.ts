/**
 * The RiskModel document after validation (see docs/risk-scoring.md). Every number is checked,
 * every default applied; expression texts keep their source position for diagnostics.
 */

import type { SensitivityClass } from "../../grammar/builtins/detectors.js";
import type { Origin, Span } from "../../grammar/index.js";

/** Risk levels, lowest first. A score belongs to the first level whose `max` is ≥ the score. */
export const LEVEL_NAMES = ["low", "medium", "high", "critical"] as const;
export type LevelName = (typeof LEVEL_NAMES)[number];

/** What a level does to the decision (the compiler's decide applies it; deny always wins). */
export const LEVEL_ACTIONS = ["allow", "audit", "alert", "require_approval", "deny"] as const;
export type LevelAction = (typeof LEVEL_ACTIONS)[number];

export interface LevelSpec {
  name: LevelName;
  max: number;
  action: LevelAction;
  template?: string;
}

/** The plan's bands: low 0–30 auto-approve, medium 31–60 audit, high 61–80 approval, critical 81–100. */
export const DEFAULT_LEVELS: readonly LevelSpec[] = [
  { name: "low", max: 30, action: "allow" },
  { name: "medium", max: 60, action: "audit" },
  { name: "high", max: 80, action: "require_approval" },
  { name: "critical", max: 100, action: "require_approval" },
];

/** An expression of the condition language with where its text is in the file. */
export interface ExpressionSource {
  text: string;
  origin: Origin;
  span: Span;
  path: (string | number)[];
}

export type MatchMode = "exact" | "glob" | "contains";

export interface Adjustment {
  when: ExpressionSource;
  add: number;
}

interface FactorBase {
  id: string;
  weight: number;
  max: number;
  adjustments: Adjustment[];
  clamp?: [number, number];
  /** Value when the factor's expression fails at run time (default: `max`, fail toward risk). */
  onError: number;
  span: Span;
}

export type FactorSpec =
  | (FactorBase & { kind: "expression"; expression: ExpressionSource })
  | (FactorBase & {
      kind: "lookup";
      expression: ExpressionSource;
      match: MatchMode;
      table: { key: string; value: number }[];
      default: number;
    })
  | (FactorBase & {
      kind: "bands";
      expression: ExpressionSource;
      bands: { from: number; to: number; value: number }[];
      default: number;
    });

export type Combination =
  | { kind: "weighted" }
  | { kind: "max" }
  | { kind: "expression"; expression: ExpressionSource };

export interface CustomDetectorSpec {
  id: string;
  pattern: string;
  flags: string;
  sensitivity: SensitivityClass;
}

export interface RiskModelSpec {
  name: string;
  timezone?: string;
  combination: Combination;
  factors: FactorSpec[];
  levels: LevelSpec[];
  /** Decisions at or above this level carry `alert: true`; `undefined` = never. */
  alertAt?: LevelName;
  detectors: CustomDetectorSpec[];
}
