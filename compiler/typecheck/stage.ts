/**
 * Stage `typecheck`: parses every condition (`when`, quota `amount`) with the grammar, positions
 * mapped into the YAML file, and checks it against the decision-input schema extended by the sets'
 * `schema:` sections and the constants visible to the rule.
 */
import {
  type ContextSchema,
  checkExpression,
  type Diagnostic,
  defaultContextSchema,
  type Expr,
  extendSchema,
  parseExpression,
} from "../../grammar/index.js";
import { M } from "../diagnostics/catalogue.js";
import { error } from "../diagnostics/report.js";
import type { ConditionSource, EffectiveRule, ResolvedProgram } from "../model.js";

export interface TypedRule {
  rule: EffectiveRule;
  when?: Expr;
  amount?: Expr;
  /** Names of constants the rule's conditions use (sorted). */
  usedConstants: string[];
}

export interface TypedProgram extends ResolvedProgram {
  schema: ContextSchema;
  typed: TypedRule[];
}

export interface TypecheckResult {
  program: TypedProgram;
  diagnostics: Diagnostic[];
}

export function typecheck(program: ResolvedProgram): TypecheckResult {
  const diagnostics: Diagnostic[] = [];
  let schema = defaultContextSchema;
  try {
    schema = extendSchema(defaultContextSchema, program.schemaExtension);
  } catch (e) {
    const set = program.sets.find((s) => Object.keys(s.schema).length > 0);
    diagnostics.push(
      error(
        { code: "bad-schema", message: e instanceof Error ? e.message : String(e) },
        set?.span ?? program.sets[0]!.span,
      ),
    );
  }
  const typed: TypedRule[] = [];
  for (const rule of program.rules) {
    const used = new Set<string>();
    const one = (c: ConditionSource | undefined, want: "bool" | "number"): Expr | undefined => {
      if (!c) return undefined;
      const parsed = parseExpression(c.parseText, c.origin);
      diagnostics.push(...parsed.diagnostics);
      if (!parsed.ast) return undefined;
      const checked = checkExpression(parsed.ast, schema, {
        constants: rule.constants,
        origin: c.origin,
      });
      diagnostics.push(...checked.diagnostics);
      for (const n of checked.usedConstants) used.add(n);
      const kind = checked.type.kind;
      if (
        checked.diagnostics.every((d) => d.severity !== "error") &&
        kind !== want &&
        kind !== "dyn"
      ) {
        const name = kind === "list" || kind === "map" || kind === "object" ? kind : kind;
        diagnostics.push(error(want === "bool" ? M.notBoolean(name) : M.notNumber(name), c.span));
      }
      return parsed.ast;
    };
    const t: TypedRule = { rule, usedConstants: [] };
    const when = one(rule.when, "bool");
    const amount = one(rule.amount, "number");
    if (when) t.when = when;
    if (amount) t.amount = amount;
    t.usedConstants = [...used].sort();
    typed.push(t);
  }
  return { program: { ...program, schema, typed }, diagnostics };
}
