import { Checker } from "./checker/check.js";
import { compileExpression, formatDiagnostics } from "./compile.js";
import { hasErrors, sortDiagnostics } from "./diagnostics.js";
import { parseExpression } from "./parse.js";
import { PRELUDE } from "./prelude/index.js";
import { type ContextSchema, defaultContextSchema } from "./schema.js";
import type { Diagnostic } from "./span.js";
import type { Type } from "./types.js";
import { toJson } from "./values.js";

/** Thrown by `evaluateExpression`: either diagnostics (does not compile) or a run-time error. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    /** Syntax/type diagnostics, when the expression does not compile. */
    readonly diagnostics: Diagnostic[] = [],
    /** The run-time error code (`R0001`…), when evaluation failed. */
    readonly code?: string,
  ) {
    super(message);
    this.name = "ExpressionError";
  }
}

type Compiled = { run: (ctx: unknown) => unknown; type: Type };
const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 256;

/**
 * Builds a function from generated code. The text is the PRELUDE (constant) plus code produced by
 * the code generator, in which every source literal is a JSON.stringify'd literal: user text is
 * never evaluated as code. This is exactly what a bundle does when it is loaded as a module.
 */
function load(expression: string, hoisted: string[]): (ctx: unknown) => unknown {
  const body = `"use strict";\n${PRELUDE}\n${hoisted.join("\n")}\nreturn function condition(ctx) {\n  return ${expression};\n};`;
  return new Function(body)() as (ctx: unknown) => unknown;
}

function compiled(
  source: string,
  constants: Record<string, unknown>,
  schema: ContextSchema,
): Compiled {
  const key = JSON.stringify([source, constants]);
  const hit = schema === defaultContextSchema ? cache.get(key) : undefined;
  if (hit) return hit;
  const parsed = parseExpression(source);
  const diagnostics = [...parsed.diagnostics];
  if (parsed.ast) {
    const checker = new Checker(schema, constants);
    checker.check(parsed.ast);
    diagnostics.push(...checker.diagnostics);
  }
  if (!parsed.ast || hasErrors(diagnostics)) {
    const sorted = sortDiagnostics(diagnostics);
    throw new ExpressionError(formatDiagnostics(sorted, source), sorted);
  }
  const out = compileExpression(parsed.ast, { constants, schema });
  const result: Compiled = { run: load(out.expression, out.hoisted), type: out.type };
  if (schema === defaultContextSchema) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, result);
  }
  return result;
}

/**
 * Compiles (cached) and evaluates a condition against a decision input, with the same code a
 * bundle runs. Throws `ExpressionError` with formatted diagnostics when the expression does not
 * compile, and with the run-time error (`code` R0001…) when evaluation fails.
 *
 * @example
 * evaluateExpression('"admin" in agent.roles', { agent: { id: "a", roles: ["admin"] } }) // true
 */
export function evaluateExpression(
  expression: string,
  context: unknown,
  options: { constants?: Record<string, unknown>; schema?: ContextSchema } = {},
): unknown {
  const c = compiled(expression, options.constants ?? {}, options.schema ?? defaultContextSchema);
  try {
    return toJson(c.run(context), c.type);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (e instanceof Error && e.name === "ConditionError" && typeof code === "string") {
      throw new ExpressionError(`runtime error[${code}]: ${e.message}`, [], code);
    }
    throw e;
  }
}
