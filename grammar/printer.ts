import { type Expr, precedence } from "./ast.js";
import { jsLiteral } from "./codegen/literal.js";

/** Binding power: `?:` 0, binary operators 1-5 (see `precedence`), unary 6, member/primary 7. */
function power(e: Expr): number {
  switch (e.kind) {
    case "conditional":
      return 0;
    case "binary":
      return precedence[e.op];
    case "unary":
      return 6;
    default:
      return 7;
  }
}

function wrap(e: Expr, min: number): string {
  const s = printExpression(e);
  return power(e) < min ? `(${s})` : s;
}

/**
 * Prints the canonical source of an AST: minimal parentheses, double-quoted JSON strings, `, `
 * between items, one space around binary operators. `parseExpression(printExpression(a))` gives
 * back `a` (spans excepted).
 */
export function printExpression(e: Expr): string {
  switch (e.kind) {
    case "literal":
      return e.value === null ? "null" : jsLiteral(e.value);
    case "list":
      return `[${e.elements.map(printExpression).join(", ")}]`;
    case "map":
      return `{${e.entries.map((en) => `${printExpression(en.key)}: ${printExpression(en.value)}`).join(", ")}}`;
    case "ident":
      return e.name;
    case "member":
      return `${wrap(e.object, 7)}.${e.field}`;
    case "index":
      return `${wrap(e.object, 7)}[${printExpression(e.index)}]`;
    case "call": {
      const args = e.args.map(printExpression).join(", ");
      return e.target ? `${wrap(e.target, 7)}.${e.name}(${args})` : `${e.name}(${args})`;
    }
    case "unary":
      return `${e.op}${wrap(e.operand, 6)}`;
    case "binary": {
      const p = precedence[e.op];
      return `${wrap(e.left, p)} ${e.op} ${wrap(e.right, p + 1)}`;
    }
    case "conditional":
      return `${wrap(e.test, 1)} ? ${wrap(e.consequent, 1)} : ${wrap(e.alternate, 0)}`;
  }
}
