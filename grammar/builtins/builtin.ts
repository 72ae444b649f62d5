import type { CallExpr, Expr } from "../ast.js";
import type { MessageCode } from "../messages.js";
import type { Span } from "../span.js";
import type { Type } from "../types.js";

/** One signature of a builtin. A `receiver` makes it a method (`x.name(...)`). */
export interface Overload {
  receiver?: Type;
  params: Type[];
  result: Type | ((receiver: Type | undefined, args: Type[]) => Type);
  /** The PRELUDE helper implementing it, called as `helper(receiver?, ...args)`. */
  helper: string;
  /** Picked when some argument is `dyn`: the helper checks the types at run time. */
  dynamic?: boolean;
}

/** Reports a diagnostic from a builtin's static check. */
export type Report = (span: Span, code: MessageCode, args: string[], help?: string) => void;

/** What a builtin's custom code generation may use. */
export interface EmitContext {
  /** Declares a module-level constant (deduplicated by `init`) and returns its name. */
  hoist(kind: string, init: string): string;
  /** A JS literal for a JSON value (JSON.stringify, U+2028/2029 escaped). */
  literal(value: unknown): string;
}

/** A function or method of the condition language. */
export interface Builtin {
  name: string;
  /** One line for docs and completions. */
  summary: string;
  overloads: Overload[];
  /** Extra static checks (e.g. literal regex, time zone); `args` exclude the receiver. */
  check?(call: CallExpr, args: Expr[], report: Report): void;
  /**
   * Custom code generation; return undefined to use `helper(receiver, ...args)`.
   * `code` holds the generated receiver (if any) followed by the arguments.
   */
  emit?(call: CallExpr, overload: Overload, code: string[], ctx: EmitContext): string | undefined;
}

/** A group of builtins with the PRELUDE source of its helpers (names start with `$pg_`). */
export interface BuiltinGroup {
  name: string;
  builtins: Builtin[];
  prelude: string;
}
