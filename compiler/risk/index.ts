/**
 * The risk model compiler: a RiskModel document → the JavaScript of `$risk(ctx)`.
 * Stages: validate (shape, numbers, levels, detectors) → check and compile the expressions →
 * generate. See docs/risk-scoring.md.
 */
import {
  type ContextSchema,
  checkExpression,
  children,
  compileExpression,
  type Diagnostic,
  type Expr,
  hasErrors,
  parseExpression,
  type Span,
  sortDiagnostics,
  typeName,
} from "../../grammar/index.js";
import {
  type CompiledModelExpressions,
  type CompiledPart,
  DEFAULT_RISK_CODE,
  generateRisk,
} from "./generate.js";
import { closest, RM } from "./messages.js";
import type { ExpressionSource, RiskModelSpec } from "./model.js";
import { type ExpressionOrigin, validateRiskModel } from "./validate.js";

export type { LevelAction, LevelName, RiskModelSpec } from "./model.js";
export { DEFAULT_LEVELS, LEVEL_ACTIONS, LEVEL_NAMES } from "./model.js";

/** `$risk` of a bundle without a RiskModel: score 0, level `low`, action `allow`. */
export const defaultRiskCode: string = DEFAULT_RISK_CODE;

export interface CompiledRiskModel {
  /**
   * JS source defining `function $risk(ctx)` (plus `$rk_*` helpers and tables); `$risk` returns
   * `{score, level, factors: [{id, raw, normalized, weight, contribution, error?}], action,
   * alert, template?, error?}` and never throws for a valid model.
   */
  code: string;
  /** Module-level declarations to place after the PRELUDE (compiled regexes, custom detectors). */
  hoisted: string[];
  diagnostics: Diagnostic[];
  /** The validated model (undefined when there are errors). */
  model?: RiskModelSpec;
}

export interface CompileRiskOptions {
  /** Where each expression's text starts in the file (exact positions for quoted scalars). */
  expressionOrigin?: ExpressionOrigin;
  /** File name for the generated comments. */
  file?: string;
}

/**
 * Compiles a RiskModel document (the plain object of the whole YAML document). `locate` maps a
 * path from the document root (e.g. `["spec", "factors", 0, "weight"]`) to its span; `schema` is
 * the decision-input schema (its `risk` field is not visible to the model's own expressions).
 *
 * @example
 * const { code, hoisted, diagnostics } = compileRiskModel(doc, locate, defaultContextSchema);
 * // bundle text: PRELUDE + hoisted.join("\n") + code; then `$risk(input)` per decision
 */
export function compileRiskModel(
  model: unknown,
  locate: (path: (string | number)[]) => Span,
  schema: ContextSchema,
  options: CompileRiskOptions = {},
): CompiledRiskModel {
  const { spec, diagnostics } = validateRiskModel(model, locate, options.expressionOrigin);
  if (!spec)
    return { code: DEFAULT_RISK_CODE, hoisted: [], diagnostics: sortDiagnostics(diagnostics) };

  const modelSchema = withoutRisk(schema);
  const constants: Record<string, unknown> = spec.timezone ? { timezone: spec.timezone } : {};
  const out: Diagnostic[] = [];
  const compile = (
    src: ExpressionSource,
    prefix: string,
    what: string,
    accepts: string[],
    expected: string,
    exprSchema: ContextSchema = modelSchema,
  ): CompiledPart | undefined => {
    const parsed = parseExpression(src.text, src.origin);
    if (!parsed.ast || hasErrors(parsed.diagnostics)) {
      out.push(...parsed.diagnostics);
      return undefined;
    }
    const ast: Expr = parsed.ast;
    if (exprSchema === modelSchema) collectRoots(ast, roots);
    const checked = checkExpression(ast, exprSchema, { constants, origin: src.origin });
    if (hasErrors(checked.diagnostics)) {
      out.push(...checked.diagnostics);
      return undefined;
    }
    out.push(...checked.diagnostics);
    const kind = checked.type.kind;
    if (kind !== "dyn" && !accepts.includes(kind)) {
      const d: Diagnostic = {
        code: RM.expressionType(what, expected, typeName(checked.type)).code,
        severity: "error",
        message: RM.expressionType(what, expected, typeName(checked.type)).message,
        span: src.span,
      };
      out.push(d);
      return undefined;
    }
    const c = compileExpression(ast, { constants, prefix, schema: exprSchema });
    return { expression: c.expression, hoisted: c.hoisted };
  };

  const compiled: CompiledModelExpressions = { factors: [], roots: [] };
  const roots = new Set<string>();
  spec.factors.forEach((f, i) => {
    const accepts = f.kind === "lookup" ? ["string", "number", "bool", "list", "null"] : ["number"];
    const expected = f.kind === "lookup" ? "a string, number or list" : "a number";
    const value = compile(
      f.expression,
      `rk${i}`,
      `the value of factor \`${f.id}\``,
      accepts,
      expected,
    );
    const adjustments = f.adjustments.map((a, j) =>
      compile(a.when, `rk${i}a${j}`, "an adjustment's `when`", ["bool"], "a bool"),
    );
    if (value && adjustments.every((a) => a !== undefined)) {
      compiled.factors.push({ value, adjustments: adjustments as CompiledPart[] });
    }
  });
  if (spec.combination.kind === "expression") {
    const ids = spec.factors.map((f) => f.id);
    const src = spec.combination.expression;
    const before = out.length;
    compiled.combination = compile(
      src,
      "rkc",
      "the combination",
      ["number"],
      "a number",
      combinationSchema(ids),
    );
    // say "unknown factor" rather than the checker's "unknown field ... on `factors`"
    for (let k = before; k < out.length; k++) {
      const d = out[k]!;
      const m = /^unknown field `([^`]*)` on `(factors|normalized)`$/.exec(d.message);
      if (m) {
        const msg = RM.unknownFactor(m[1]!, closest(m[1]!, ids));
        out[k] = {
          ...d,
          code: msg.code,
          message: msg.message,
          ...(msg.help ? { help: msg.help } : {}),
        };
      }
    }
  }
  compiled.roots = [...roots].sort();
  const all = sortDiagnostics(out);
  if (hasErrors(all) || compiled.factors.length !== spec.factors.length) {
    return { code: DEFAULT_RISK_CODE, hoisted: [], diagnostics: all };
  }
  const file = options.file ?? locate([]).file;
  const generated = generateRisk(spec, compiled, file);
  return { code: generated.code, hoisted: generated.hoisted, diagnostics: all, model: spec };
}

/** Names of the identifiers an expression reads (over-approximation: macro variables included). */
function collectRoots(e: Expr, into: Set<string>): void {
  if (e.kind === "ident") into.add(e.name);
  for (const c of children(e)) collectRoots(c, into);
}

/** The schema of the model's expressions: the decision input without `risk` (not computed yet). */
function withoutRisk(schema: ContextSchema): ContextSchema {
  const fields = { ...schema.fields };
  delete fields.risk;
  return { ...schema, fields };
}

/** The schema of a custom combination: `factors.<id>` (raw values) and `normalized.<id>` (0–1). */
function combinationSchema(ids: string[]): ContextSchema {
  const numbers = Object.fromEntries(ids.map((id) => [id, { kind: "number" } as const]));
  return {
    kind: "object",
    name: "combination",
    open: false,
    fields: {
      factors: { kind: "object", name: "factors", fields: numbers, open: false },
      normalized: { kind: "object", name: "normalized", fields: numbers, open: false },
    },
  };
}
