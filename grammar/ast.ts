import type { Span } from "./span.js";

/**
 * The typed AST of a condition. Every node carries a `span`; `span` is never part of structural
 * equality (see `equalExpr`, `stripSpans`).
 */
export type Expr =
  | LiteralExpr
  | ListExpr
  | MapExpr
  | IdentExpr
  | MemberExpr
  | IndexExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | ConditionalExpr;

/** JSON scalar literal. Numbers are JSON numbers (IEEE-754 doubles), never negative: `-` is unary. */
export interface LiteralExpr {
  kind: "literal";
  value: string | number | boolean | null;
  span: Span;
}
export interface ListExpr {
  kind: "list";
  elements: Expr[];
  span: Span;
}
export interface MapEntry {
  key: Expr;
  value: Expr;
}
export interface MapExpr {
  kind: "map";
  entries: MapEntry[];
  span: Span;
}
/** A name: a context key (`agent`), a policy constant (`dangerous_tools`) or a macro variable. */
export interface IdentExpr {
  kind: "ident";
  name: string;
  span: Span;
}
/** Field selection `object.field`. */
export interface MemberExpr {
  kind: "member";
  object: Expr;
  field: string;
  span: Span;
}
/** Indexing `object[index]` (list position or map key). */
export interface IndexExpr {
  kind: "index";
  object: Expr;
  index: Expr;
  span: Span;
}
/** A function call `name(args)` or, with `target`, a method call `target.name(args)` (incl. macros). */
export interface CallExpr {
  kind: "call";
  name: string;
  target?: Expr;
  args: Expr[];
  span: Span;
}
export type UnaryOp = "!" | "-";
export interface UnaryExpr {
  kind: "unary";
  op: UnaryOp;
  operand: Expr;
  span: Span;
}
export type BinaryOp =
  | "||"
  | "&&"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "in"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";
export interface BinaryExpr {
  kind: "binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
  span: Span;
}
export interface ConditionalExpr {
  kind: "conditional";
  test: Expr;
  consequent: Expr;
  alternate: Expr;
  span: Span;
}

/** Binding power of binary operators (CEL): higher binds tighter. `?:` is 0. */
export const precedence: Record<BinaryOp, number> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 3,
  "<=": 3,
  ">": 3,
  ">=": 3,
  in: 3,
  "+": 4,
  "-": 4,
  "*": 5,
  "/": 5,
  "%": 5,
};

/** A deep copy of `e` without spans (for structural comparison and snapshots). */
export function stripSpans(e: Expr): unknown {
  return JSON.parse(JSON.stringify(e, (k, v) => (k === "span" ? undefined : v)));
}

/** Structural equality of two ASTs, ignoring spans. */
export function equalExpr(a: Expr, b: Expr): boolean {
  return JSON.stringify(stripSpans(a)) === JSON.stringify(stripSpans(b));
}

/** The direct children of a node, in source order. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case "literal":
    case "ident":
      return [];
    case "list":
      return e.elements;
    case "map":
      return e.entries.flatMap((en) => [en.key, en.value]);
    case "member":
      return [e.object];
    case "index":
      return [e.object, e.index];
    case "call":
      return e.target ? [e.target, ...e.args] : e.args;
    case "unary":
      return [e.operand];
    case "binary":
      return [e.left, e.right];
    case "conditional":
      return [e.test, e.consequent, e.alternate];
  }
}
