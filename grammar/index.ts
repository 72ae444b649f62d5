/**
 * The condition language (a CEL subset): parse, type-check, print, compile to JavaScript,
 * interpret and explain. Re-exports only.
 */
export type { BinaryOp, Expr, UnaryOp } from "./ast.js";
export { children, equalExpr, stripSpans } from "./ast.js";
export type { Builtin, BuiltinGroup, EmitContext, Overload, Report } from "./builtins/builtin.js";
export { builtinGroups, builtins } from "./builtins/registry.js";
export type { CheckOptions, CheckResult, CompiledExpression, CompileOptions } from "./compile.js";
export {
  checkExpression,
  compileExpression,
  ExpressionCompileError,
  formatDiagnostics,
} from "./compile.js";
export { formatDiagnostic, hasErrors, sortDiagnostics } from "./diagnostics.js";
export { ExpressionError, evaluateExpression } from "./evaluate.js";
export type { ExplainNode } from "./explain.js";
export { explainExpression } from "./explain.js";
/** Levenshtein distance, for "did you mean `X`?" suggestions elsewhere in the project. */
export { editDistance } from "./fuzzy.js";
export { interpretExpression } from "./interpreter.js";
export { messages, runtimeMessages } from "./messages.js";
export type { ParseResult } from "./parse.js";
export { parseExpression } from "./parse.js";
export { PRELUDE } from "./prelude/index.js";
export { printExpression } from "./printer.js";
export type { ContextSchema } from "./schema.js";
export { defaultContextSchema, extendSchema, SchemaError } from "./schema.js";
export type { Diagnostic, Origin, Span } from "./span.js";
export type { Type } from "./types.js";
export { parseTypeString, typeName } from "./types.js";
