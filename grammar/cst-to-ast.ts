import type { CstElement, CstNode, IToken } from "chevrotain";
import type { BinaryOp, Expr } from "./ast.js";
import { error } from "./diagnostics.js";
import type { Diagnostic, Origin, Span } from "./span.js";
import { joinSpans, makeSpan } from "./span.js";

type Children = Record<string, CstElement[] | undefined>;

const nodes = (c: Children, key: string): CstNode[] => (c[key] ?? []) as CstNode[];
const tokens = (c: Children, key: string): IToken[] => (c[key] ?? []) as IToken[];
const node = (c: Children, key: string): CstNode => nodes(c, key)[0]!;

/**
 * Turns a (syntactically valid) CST into the typed AST. Literal contents are decoded and
 * validated here; problems are appended to `diagnostics`.
 */
export class CstToAst {
  constructor(
    private readonly origin: Origin | undefined,
    readonly diagnostics: Diagnostic[],
  ) {}

  private tokenSpan(t: IToken): Span {
    return makeSpan(this.origin, t.startLine!, t.startColumn!, t.endLine!, t.endColumn!);
  }

  expression(n: CstNode): Expr {
    const c = n.children;
    const ors = nodes(c, "conditionalOr");
    const test0 = this.conditionalOr(ors[0]!);
    if (ors.length < 2) return test0;
    const consequent = this.conditionalOr(ors[1]!);
    const alternate = this.expression(node(c, "expression"));
    return {
      kind: "conditional",
      test: test0,
      consequent,
      alternate,
      span: joinSpans(test0.span, alternate.span),
    };
  }

  /** Left-associative fold of `operands` joined by `operators` (which are in source order). */
  private binaryChain(operands: Expr[] | CstNode[], operators: IToken[]): Expr {
    const exprs = operands.map((o) => ("kind" in o ? o : this.dispatch(o as CstNode)));
    let acc = exprs[0]!;
    for (let i = 0; i < operators.length; i++) {
      const right = exprs[i + 1]!;
      const op = operators[i]!.image as BinaryOp;
      acc = { kind: "binary", op, left: acc, right, span: joinSpans(acc.span, right.span) };
    }
    return acc;
  }

  private dispatch(n: CstNode): Expr {
    switch (n.name) {
      case "conditionalOr":
        return this.conditionalOr(n);
      case "conditionalAnd":
        return this.binaryChain(nodes(n.children, "relation"), tokens(n.children, "AndAnd"));
      case "relation":
        return this.binaryChain(nodes(n.children, "addition"), tokens(n.children, "RelOp"));
      case "addition":
        return this.binaryChain(nodes(n.children, "multiplication"), tokens(n.children, "AddOp"));
      case "multiplication":
        return this.binaryChain(nodes(n.children, "unary"), tokens(n.children, "MulOp"));
      case "unary":
        return this.unary(n);
      default:
        return this.expression(n);
    }
  }

  private conditionalOr(n: CstNode): Expr {
    return this.binaryChain(nodes(n.children, "conditionalAnd"), tokens(n.children, "OrOr"));
  }

  private unary(n: CstNode): Expr {
    const c = n.children;
    const op = tokens(c, "Bang")[0] ?? tokens(c, "Minus")[0];
    if (op) {
      const operand = this.unary(node(c, "unary"));
      return {
        kind: "unary",
        op: op.image as "!" | "-",
        operand,
        span: joinSpans(this.tokenSpan(op), operand.span),
      };
    }
    return this.member(node(c, "member"));
  }

  private member(n: CstNode): Expr {
    let acc = this.primary(node(n.children, "primary"));
    for (const s of nodes(n.children, "memberSuffix")) {
      const c = s.children;
      const id = tokens(c, "Identifier")[0];
      if (id) {
        const callArgs = nodes(c, "callArgs")[0];
        if (callArgs) {
          const close = tokens(callArgs.children, "RParen")[0]!;
          acc = {
            kind: "call",
            name: id.image,
            target: acc,
            args: this.args(callArgs),
            span: joinSpans(acc.span, this.tokenSpan(close)),
          };
        } else {
          acc = {
            kind: "member",
            object: acc,
            field: id.image,
            span: joinSpans(acc.span, this.tokenSpan(id)),
          };
        }
      } else {
        const close = tokens(c, "RBracket")[0]!;
        acc = {
          kind: "index",
          object: acc,
          index: this.expression(node(c, "expression")),
          span: joinSpans(acc.span, this.tokenSpan(close)),
        };
      }
    }
    return acc;
  }

  private args(n: CstNode): Expr[] {
    return nodes(n.children, "expression").map((e) => this.expression(e));
  }

  private nodeSpan(n: CstNode): Span {
    const l = n.location!;
    return makeSpan(this.origin, l.startLine!, l.startColumn!, l.endLine!, l.endColumn!);
  }

  private primary(n: CstNode): Expr {
    const c = n.children;
    const id = tokens(c, "Identifier")[0];
    if (id) {
      const callArgs = nodes(c, "callArgs")[0];
      if (!callArgs) return { kind: "ident", name: id.image, span: this.tokenSpan(id) };
      return { kind: "call", name: id.image, args: this.args(callArgs), span: this.nodeSpan(n) };
    }
    const inner = nodes(c, "expression")[0];
    if (inner) return this.expression(inner);
    const list = nodes(c, "listLiteral")[0];
    if (list) {
      const elements = nodes(list.children, "expression").map((e) => this.expression(e));
      return { kind: "list", elements, span: this.nodeSpan(n) };
    }
    const map = nodes(c, "mapLiteral")[0];
    if (map) {
      const entries = nodes(map.children, "mapEntry").map((en) => {
        const [k, v] = nodes(en.children, "expression");
        return { key: this.expression(k!), value: this.expression(v!) };
      });
      return { kind: "map", entries, span: this.nodeSpan(n) };
    }
    const str = tokens(c, "StringLiteral")[0];
    if (str) return { kind: "literal", value: this.decodeString(str), span: this.tokenSpan(str) };
    const num = tokens(c, "NumberLiteral")[0];
    if (num) {
      const value = Number(num.image);
      if (!Number.isFinite(value)) {
        this.diagnostics.push(error(this.tokenSpan(num), "E0008", [num.image]));
      }
      return { kind: "literal", value, span: this.tokenSpan(num) };
    }
    const kw = tokens(c, "True")[0] ?? tokens(c, "False")[0] ?? tokens(c, "Null")[0]!;
    const value = kw.image === "true" ? true : kw.image === "false" ? false : null;
    return { kind: "literal", value, span: this.tokenSpan(kw) };
  }

  /** Decodes JSON escapes plus `\'`; anything else is reported (E0006). */
  private decodeString(tok: IToken): string {
    const body = tok.image.slice(1, -1);
    let out = "";
    for (let i = 0; i < body.length; i++) {
      const ch = body[i]!;
      if (ch !== "\\") {
        out += ch;
        continue;
      }
      const e = body[i + 1] ?? "";
      const simple: Record<string, string> = {
        '"': '"',
        "'": "'",
        "\\": "\\",
        "/": "/",
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
      };
      if (e in simple) {
        out += simple[e];
        i++;
      } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
        out += String.fromCharCode(Number.parseInt(body.slice(i + 2, i + 6), 16));
        i += 5;
      } else {
        const col = tok.startColumn! + 1 + i;
        const span = makeSpan(this.origin, tok.startLine!, col, tok.startLine!, col + 1);
        this.diagnostics.push(error(span, "E0006", [`\\${e}`]));
        i++;
      }
    }
    return out;
  }
}
