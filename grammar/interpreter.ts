import type { CallExpr, Expr } from "./ast.js";
import { Checker, type CheckInfo } from "./checker/check.js";
import { validator } from "./codegen/generate.js";
import { hasErrors } from "./diagnostics.js";
import { PRELUDE } from "./prelude/index.js";
import { type Helpers, instantiate } from "./prelude/instance.js";
import { type ContextSchema, defaultContextSchema } from "./schema.js";
import { T } from "./types.js";
import { toJson } from "./values.js";

let helpers: Helpers | undefined;
/** The PRELUDE helpers, instantiated once (our constant source, never user input). */
export function runtimeHelpers(): Helpers {
  helpers ??= instantiate(PRELUDE);
  return helpers;
}

type Hook = (e: Expr, outcome: { value?: unknown; error?: unknown }) => void;

/**
 * Reference tree-walking evaluator with the same semantics as the generated code (it calls the
 * same PRELUDE helpers and validates input values the same way). Used for explanations.
 */
export class Interpreter {
  private readonly h = runtimeHelpers();
  constructor(
    private readonly info: CheckInfo,
    private readonly ctx: unknown,
    private readonly hook?: Hook,
  ) {}

  private checked(e: Expr, v: unknown): unknown {
    const fn = validator(this.info.types.get(e) ?? T.dyn);
    return fn ? this.h[fn]!(v) : v;
  }

  private bool(v: unknown): boolean {
    return this.h.$pg_b!(v) as boolean;
  }

  eval(e: Expr, env: ReadonlyMap<string, unknown> = new Map()): unknown {
    if (!this.hook) return this.evalInner(e, env);
    try {
      const value = this.evalInner(e, env);
      this.hook(e, { value });
      return value;
    } catch (error) {
      this.hook(e, { error });
      throw error;
    }
  }

  private evalInner(e: Expr, env: ReadonlyMap<string, unknown>): unknown {
    const h = this.h;
    switch (e.kind) {
      case "literal":
        return e.value;
      case "list":
        return e.elements.map((x) => this.eval(x, env));
      case "map":
        return h.$pg_mkmap!(
          ...e.entries.flatMap((en) => [this.eval(en.key, env), this.eval(en.value, env)]),
        );
      case "ident": {
        const b = this.info.idents.get(e);
        if (b?.kind === "var") return env.get(e.name);
        if (b?.kind === "constant") return b.value;
        return this.checked(e, h.$pg_get!(this.ctx, e.name));
      }
      case "member":
        return this.checked(e, h.$pg_get!(this.eval(e.object, env), e.field));
      case "index": {
        const o = this.eval(e.object, env);
        const k = this.eval(e.index, env);
        const ot = this.info.types.get(e.object);
        const lit = e.index.kind === "literal" && typeof e.index.value === "string";
        const viaGet = lit && (ot?.kind === "object" || ot?.kind === "map");
        return this.checked(e, viaGet ? h.$pg_get!(o, k) : h.$pg_index!(o, k));
      }
      case "call":
        return this.call(e, env);
      case "unary": {
        const v = this.eval(e.operand, env);
        return e.op === "!" ? h.$pg_not!(v) : h.$pg_neg!(v);
      }
      case "binary": {
        if (e.op === "&&" || e.op === "||") return this.logical(e, e.op, env);
        const l = this.eval(e.left, env);
        const r = this.eval(e.right, env);
        const fn = {
          "==": "$pg_eq",
          "!=": "$pg_eq",
          "<": "$pg_lt",
          "<=": "$pg_le",
          ">": "$pg_gt",
          ">=": "$pg_ge",
          in: "$pg_in",
          "+": "$pg_add",
          "-": "$pg_sub",
          "*": "$pg_mul",
          "/": "$pg_div",
          "%": "$pg_mod",
        }[e.op];
        const v = h[fn]!(l, r);
        return e.op === "!=" ? !v : v;
      }
      case "conditional":
        return this.bool(this.eval(e.test, env))
          ? this.eval(e.consequent, env)
          : this.eval(e.alternate, env);
    }
  }

  private logical(e: Expr, op: "&&" | "||", env: ReadonlyMap<string, unknown>): boolean {
    const operands: Expr[] = [];
    const flatten = (x: Expr) => {
      if (x.kind === "binary" && x.op === op) {
        flatten(x.left);
        flatten(x.right);
      } else operands.push(x);
    };
    flatten(e);
    const decisive = op === "||";
    let err: unknown = null;
    for (const x of operands) {
      try {
        if (this.bool(this.eval(x, env)) === decisive) return decisive;
      } catch (caught) {
        err = this.h.$pg_absorb!(caught, err);
      }
    }
    if (err !== null) throw err;
    return !decisive;
  }

  private call(e: CallExpr, env: ReadonlyMap<string, unknown>): unknown {
    const h = this.h;
    if (e.name === "has" && !e.target) {
      const arg = e.args[0]!;
      if (arg.kind === "member") return h.$pg_has!(this.eval(arg.object, env), arg.field);
      if (arg.kind === "index")
        return h.$pg_has!(this.eval(arg.object, env), this.eval(arg.index, env));
    }
    const overload = this.info.overloads.get(e);
    if (overload) {
      const args = [
        ...(e.target ? [this.eval(e.target, env)] : []),
        ...e.args.map((a) => this.eval(a, env)),
      ];
      return h[overload.helper]!(...args);
    }
    const v = (e.args[0] as { name: string }).name;
    const items = h.$pg_iter!(this.eval(e.target!, env)) as unknown[];
    const body = e.args[1]!;
    const each = (item: unknown) => {
      const inner = new Map(env);
      inner.set(v, this.checked(e.args[0]!, item));
      return [inner.get(v), this.eval(body, inner)] as const;
    };
    if (e.name === "exists" || e.name === "all") {
      const decisive = e.name === "exists";
      let err: unknown = null;
      for (const item of items) {
        try {
          if (this.bool(each(item)[1]) === decisive) return decisive;
        } catch (caught) {
          err = h.$pg_absorb!(caught, err);
        }
      }
      if (err !== null) throw err;
      return !decisive;
    }
    if (e.name === "exists_one") return items.filter((i) => this.bool(each(i)[1])).length === 1;
    if (e.name === "filter") {
      const out: unknown[] = [];
      for (const i of items) {
        const [bound, keep] = each(i);
        if (this.bool(keep)) out.push(bound);
      }
      return out;
    }
    return items.map((i) => each(i)[1]);
  }
}

/** Type-checks `ast` (throws on errors) and returns what evaluation needs. */
export function checkForEvaluation(
  ast: Expr,
  constants: Record<string, unknown> = {},
  schema: ContextSchema = defaultContextSchema,
): CheckInfo {
  const checker = new Checker(schema, constants);
  checker.check(ast);
  if (hasErrors(checker.diagnostics)) {
    const first = checker.diagnostics.find((d) => d.severity === "error")!;
    throw new Error(`the expression does not type-check: error[${first.code}]: ${first.message}`);
  }
  return checker.info;
}

/**
 * Evaluates a type-correct AST by walking it (reference semantics; the compiled code is faster).
 * The result is JSON like `evaluateExpression`'s (timestamps as RFC 3339 text).
 * Throws the PRELUDE's `ConditionError` (with `code`) on a run-time error.
 */
export function interpretExpression(
  ast: Expr,
  context: unknown,
  constants?: Record<string, unknown>,
  schema?: ContextSchema,
): unknown {
  const info = checkForEvaluation(ast, constants, schema);
  return toJson(new Interpreter(info, context).eval(ast), info.types.get(ast) ?? T.dyn);
}
