import { children, type Expr } from "./ast.js";
import { checkForEvaluation, Interpreter } from "./interpreter.js";
import { printExpression } from "./printer.js";
import type { ContextSchema } from "./schema.js";

/** How one sub-expression evaluated: its canonical source, value or error, and its parts. */
export interface ExplainNode {
  source: string;
  value?: unknown;
  error?: string;
  children: ExplainNode[];
}

/**
 * Evaluates `ast` and returns the evaluation tree: every evaluated sub-expression with its value
 * or error (sub-expressions skipped by `&&`/`||`/`?:` short-circuits are left out; inside
 * comprehension macros, the last iteration is shown).
 */
export function explainExpression(
  ast: Expr,
  context: unknown,
  constants?: Record<string, unknown>,
  schema?: ContextSchema,
): ExplainNode {
  const outcomes = new Map<Expr, { value?: unknown; error?: unknown }>();
  const info = checkForEvaluation(ast, constants, schema);
  try {
    new Interpreter(info, context, (e, o) => outcomes.set(e, o)).eval(ast);
  } catch {
    // recorded in `outcomes`
  }
  const build = (e: Expr): ExplainNode => {
    const o = outcomes.get(e);
    const node: ExplainNode = {
      source: printExpression(e),
      children: children(e)
        .filter((c) => outcomes.has(c))
        .map(build),
    };
    if (o && "error" in o)
      node.error = o.error instanceof Error ? o.error.message : String(o.error);
    else if (o) node.value = o.value;
    return node;
  };
  return build(ast);
}
