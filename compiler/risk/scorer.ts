/**
 * `RiskScorer`: scores decision inputs in-process with a compiled RiskModel (the same code a
 * bundle runs), for agent SDKs, tests and the `paracle governance risk` command.
 */
import { isNode, LineCounter, parseAllDocuments } from "yaml";
import {
  type ContextSchema,
  type Diagnostic,
  defaultContextSchema,
  PRELUDE,
  type Span,
} from "../../grammar/index.js";
import type { RiskFactorResult, RiskLevelName } from "../../runtime/decision/types.js";
import { compileRiskModel } from "./index.js";

/** Risk levels, lowest first (`RiskLevel.HIGH === "high"`). */
export const RiskLevel = {
  LOW: "low",
  MEDIUM: "medium",
  HIGH: "high",
  CRITICAL: "critical",
} as const;
export type RiskLevel = (typeof RiskLevel)[keyof typeof RiskLevel];

/** What `$risk` returns for one decision input. */
export interface RiskResult {
  score: number;
  level: RiskLevelName;
  factors: RiskFactorResult[];
  /** The level's configured action (`allow`, `audit`, `alert`, `require_approval`, `deny`). */
  action: string;
  /** True when the level is at or above the model's `alert_at`. */
  alert: boolean;
  /** The approval template configured for the level, if any. */
  template?: string;
  /** Set when the custom combination failed (the score is then 100). */
  error?: string;
}

/** Thrown when a model does not compile; `diagnostics` lists every problem. */
export class RiskModelError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(
      `the risk model has errors:\n${diagnostics
        .map(
          (d) =>
            `${d.span.file}:${d.span.line}:${d.span.col}: ${d.severity}[${d.code}]: ${d.message}`,
        )
        .join("\n")}`,
    );
    this.name = "RiskModelError";
  }
}

export interface RiskScorerOptions {
  /** Decision-input schema (default: the standard one). */
  schema?: ContextSchema;
  /** Time source for inputs without `time` (ms since the epoch; default `Date.now`). */
  now?: () => number;
  /** File name used in diagnostics. */
  file?: string;
}

type RiskFn = (ctx: unknown) => RiskResult;

/**
 * Scores decision inputs with a RiskModel.
 *
 * @example
 * const scorer = RiskScorer.fromYaml(readFileSync("policies/risk.yaml", "utf8"));
 * const r = scorer.score({ agent: { id: "a", trust_level: 1 }, action: { name: "db.delete" } });
 * r.level; // "low" | "medium" | "high" | "critical", with r.score and r.factors
 */
export class RiskScorer {
  readonly #risk: RiskFn;
  readonly #now: () => number;

  private constructor(risk: RiskFn, now: () => number) {
    this.#risk = risk;
    this.#now = now;
  }

  /** Compiles a RiskModel document given as a plain object; throws `RiskModelError`. */
  static fromModel(model: unknown, options: RiskScorerOptions = {}): RiskScorer {
    const file = options.file ?? "<risk model>";
    return RiskScorer.#compile(
      model,
      () => ({ file, line: 1, col: 1, endLine: 1, endCol: 1 }),
      options,
    );
  }

  /**
   * Compiles the first `kind: RiskModel` document of a YAML text (diagnostics carry its
   * positions); throws `RiskModelError`.
   */
  static fromYaml(text: string, options: RiskScorerOptions = {}): RiskScorer {
    const file = options.file ?? "<risk model>";
    const lineCounter = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter });
    if (!Array.isArray(docs)) throw new Error("invalid YAML");
    for (const d of docs) {
      if (d.errors.length > 0) throw new Error(`invalid YAML: ${d.errors[0]!.message}`);
    }
    const doc = docs.find((d) => d.get("kind") === "RiskModel");
    if (!doc) throw new Error("no `kind: RiskModel` document found");
    const locate = (path: (string | number)[]): Span => {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true);
        if (isNode(node) && node.range) {
          const a = lineCounter.linePos(node.range[0]);
          const b = lineCounter.linePos(node.range[1]);
          return { file, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
        }
      }
      return { file, line: 1, col: 1, endLine: 1, endCol: 1 };
    };
    return RiskScorer.#compile(doc.toJS(), locate, options);
  }

  static #compile(
    model: unknown,
    locate: (path: (string | number)[]) => Span,
    options: RiskScorerOptions,
  ): RiskScorer {
    const file = options.file ?? "<risk model>";
    const compiled = compileRiskModel(model, locate, options.schema ?? defaultContextSchema, {
      file,
    });
    if (compiled.diagnostics.some((d) => d.severity === "error"))
      throw new RiskModelError(compiled.diagnostics);
    return new RiskScorer(
      instantiateRisk(compiled.code, compiled.hoisted),
      options.now ?? Date.now,
    );
  }

  /** Scores one decision input (`time` defaults to now). Never throws for a valid model. */
  score(input: Record<string, unknown>): RiskResult {
    const ctx =
      input.time === undefined ? { ...input, time: new Date(this.#now()).toISOString() } : input;
    return this.#risk(ctx);
  }
}

/** Runs generated risk code (our own compiler output over the constant PRELUDE). */
export function instantiateRisk(code: string, hoisted: readonly string[]): RiskFn {
  const text = `"use strict";\n${PRELUDE}\n${hoisted.join("\n")}\n${code}\nreturn $risk;`;
  return new Function(text)() as RiskFn;
}
