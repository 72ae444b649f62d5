import type { Expr } from "./ast.js";
import { Checker } from "./checker/check.js";
import { CodeGenerator } from "./codegen/generate.js";
import { formatDiagnostic, hasErrors, sortDiagnostics } from "./diagnostics.js";
import { parseExpression } from "./parse.js";
import { type ContextSchema, defaultContextSchema } from "./schema.js";
import type { Diagnostic, Origin } from "./span.js";
import { T, type Type } from "./types.js";

export interface CheckOptions {
  constants?: Record<string, unknown>;
  origin?: Origin;
}

export interface CheckResult {
  /** The static type of the expression (`dyn` when it could not be typed). */
  type: Type;
  /** Syntax and type diagnostics, sorted by location. */
  diagnostics: Diagnostic[];
  /** Names of policy constants the expression refers to, sorted. */
  usedConstants: string[];
}

/**
 * Parses (when given text) and type-checks an expression against a context schema.
 *
 * @example
 * checkExpression("agent.rol == 1").diagnostics[0].message // "unknown field `rol` on `agent`"
 */
export function checkExpression(
  source: string | Expr,
  schema: ContextSchema = defaultContextSchema,
  options: CheckOptions = {},
): CheckResult {
  let ast: Expr | undefined;
  const diagnostics: Diagnostic[] = [];
  if (typeof source === "string") {
    const parsed = parseExpression(source, options.origin);
    diagnostics.push(...parsed.diagnostics);
    ast = parsed.ast;
  } else ast = source;
  if (!ast) return { type: T.dyn, diagnostics, usedConstants: [] };
  const checker = new Checker(schema, options.constants ?? {});
  const type = checker.check(ast);
  diagnostics.push(...checker.diagnostics);
  return {
    type: hasErrors(checker.diagnostics) ? T.dyn : type,
    diagnostics: sortDiagnostics(diagnostics),
    usedConstants: [...checker.used].sort(),
  };
}

export interface CompileOptions {
  constants?: Record<string, unknown>;
  /** Distinguishes the hoisted names of several expressions in one module (default `e`). */
  prefix?: string;
  /** The schema the expression was checked against (default: `defaultContextSchema`). */
  schema?: ContextSchema;
}

export interface CompiledExpression {
  /** A JS expression over `ctx` using only PRELUDE helpers and the `hoisted` names. */
  expression: string;
  /** Module-level declarations (regexes, sets, constants, `&&`/`||`/macro functions), in order. */
  hoisted: string[];
  /** The static type of the expression. */
  type: Type;
}

/** Thrown by `compileExpression` when the AST does not type-check. */
export class ExpressionCompileError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(
      `the condition has errors:\n${diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n")}`,
    );
    this.name = "ExpressionCompileError";
  }
}

/**
 * Compiles a type-checked AST to JavaScript. Deterministic: the same AST, constants and prefix
 * give the same text. Throws `ExpressionCompileError` if the AST has type errors.
 *
 * @example
 * const { expression, hoisted } = compileExpression(ast, { prefix: "r3" });
 * // module text: PRELUDE + hoisted.join("\n") + `function rule(ctx) { return ${expression}; }`
 */
export function compileExpression(ast: Expr, options: CompileOptions = {}): CompiledExpression {
  const prefix = options.prefix ?? "e";
  if (!/^[A-Za-z0-9_]+$/.test(prefix)) throw new Error(`invalid prefix \`${prefix}\``);
  const checker = new Checker(options.schema ?? defaultContextSchema, options.constants ?? {});
  const type = checker.check(ast);
  if (hasErrors(checker.diagnostics))
    throw new ExpressionCompileError(sortDiagnostics(checker.diagnostics));
  const gen = new CodeGenerator(checker.info, prefix);
  const expression = gen.gen(ast);
  return { expression, hoisted: gen.hoisted, type };
}

/** Formats all diagnostics with code frames (for CLIs and error messages). */
export function formatDiagnostics(ds: Diagnostic[], sourceText: string): string {
  return ds.map((d) => formatDiagnostic(d, sourceText)).join("\n\n");
}
