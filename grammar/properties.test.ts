import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BinaryOp, type Expr, equalExpr } from "./ast.js";
import { checkExpression } from "./compile.js";
import { ExpressionError, evaluateExpression } from "./evaluate.js";
import { parseExpression } from "./parse.js";
import { printExpression } from "./printer.js";
import type { Span } from "./span.js";
import { RefError, refEval } from "./test-helpers/reference-interpreter.js";

const span: Span = { file: "<gen>", line: 1, col: 1, endLine: 1, endCol: 1 };
const names = fc.constantFrom("a", "b", "agent", "x_1", "_y", "inner", "nullable", "trueish", "Z9");
const ops: BinaryOp[] = [
  "||",
  "&&",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "in",
  "+",
  "-",
  "*",
  "/",
  "%",
];

/** Arbitrary ASTs (not necessarily well-typed) covering every node kind. */
const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(
      fc.string({ maxLength: 6 }).map((value): Expr => ({ kind: "literal", value, span })),
      fc
        .double({ min: 0, max: 1e25, noNaN: true })
        .map((v): Expr => ({ kind: "literal", value: Object.is(v, -0) ? 0 : v, span })),
      fc.constantFrom(true, false, null).map((value): Expr => ({ kind: "literal", value, span })),
      names.map((name): Expr => ({ kind: "ident", name, span })),
    ),
    fc
      .array(tie("expr"), { maxLength: 3 })
      .map((elements): Expr => ({ kind: "list", elements, span })),
    fc
      .array(fc.tuple(tie("expr"), tie("expr")), { maxLength: 2 })
      .map(
        (es): Expr => ({ kind: "map", entries: es.map(([key, value]) => ({ key, value })), span }),
      ),
    fc
      .tuple(tie("expr"), names)
      .map(([object, field]): Expr => ({ kind: "member", object, field, span })),
    fc
      .tuple(tie("expr"), tie("expr"))
      .map(([object, index]): Expr => ({ kind: "index", object, index, span })),
    fc
      .tuple(
        names,
        fc.option(tie("expr"), { nil: undefined }),
        fc.array(tie("expr"), { maxLength: 2 }),
      )
      .map(
        ([name, target, args]): Expr =>
          target ? { kind: "call", name, target, args, span } : { kind: "call", name, args, span },
      ),
    fc
      .tuple(fc.constantFrom("!", "-" as const), tie("expr"))
      .map(([op, operand]): Expr => ({ kind: "unary", op: op as "!" | "-", operand, span })),
    fc
      .tuple(fc.constantFrom(...ops), tie("expr"), tie("expr"))
      .map(([op, left, right]): Expr => ({ kind: "binary", op, left, right, span })),
    fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(
      ([test, consequent, alternate]): Expr => ({
        kind: "conditional",
        test,
        consequent,
        alternate,
        span,
      }),
    ),
  ),
}));

describe("printer", () => {
  it("print ∘ parse is the identity on ASTs (spans excluded)", () => {
    fc.assert(
      fc.property(expr, (ast) => {
        const text = printExpression(ast);
        const parsed = parseExpression(text);
        expect(parsed.diagnostics).toEqual([]);
        expect(equalExpr(parsed.ast!, ast)).toBe(true);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 500) },
    );
  });

  it("prints canonical source with minimal parentheses", () => {
    const canon = (s: string) => printExpression(parseExpression(s).ast!);
    expect(canon("(a+b)*c")).toBe("(a + b) * c");
    expect(canon("a+(b*c)")).toBe("a + b * c");
    expect(canon("a-(b-c)")).toBe("a - (b - c)");
    expect(canon("(a ? b : c) ? d : (e ? f : g)")).toBe("(a ? b : c) ? d : e ? f : g");
    expect(canon("!(a.b) && -(1).c")).toBe("!a.b && -1.c");
    expect(canon("{'k':[1,2,],}")).toBe('{"k": [1, 2]}');
  });
});

/** Well-typed expression sources over a fixed context, by type. */
const ctx = {
  agent: { id: "Bot-7", roles: ["ops", "dev"], trust_level: 3 },
  action: { name: "db.read", kind: "read" },
  args: { n: 2, m: -1.5, s: "Hi there", flag: true, items: [1, 2, 3], names: ["x", "Y"] },
};
const num: fc.Arbitrary<string> = fc.letrec<{ n: string; s: string; b: string }>((tie) => ({
  n: fc.oneof(
    { depthSize: "small" },
    fc.oneof(
      fc.integer({ min: 0, max: 20 }).map(String),
      fc.constantFrom(
        "0.5",
        "agent.trust_level",
        "args.n",
        "args.m",
        "args.missing",
        "args.s",
        "args.items[1]",
      ),
    ),
    fc
      .tuple(tie("n"), fc.constantFrom("+", "-", "*", "/", "%"), tie("n"))
      .map(([a, o, b]) => `(${a} ${o} ${b})`),
    tie("n").map((a) => `-${a}`),
    tie("s").map((s) => `size(${s})`),
    tie("n").map((a) => `int(${a})`),
    fc.tuple(tie("b"), tie("n"), tie("n")).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
  ),
  s: fc.oneof(
    { depthSize: "small" },
    fc.oneof(
      fc.constantFrom(
        '"a"',
        '"Hi"',
        "'db.'",
        "agent.id",
        "action.name",
        "args.s",
        "args.names[0]",
        "args.n",
      ),
    ),
    fc.tuple(tie("s"), tie("s")).map(([a, b]) => `(${a} + ${b})`),
    tie("s").map((a) => `${a}.lowerAscii()`),
    tie("s").map((a) => `${a}.upperAscii()`),
    tie("n").map((a) => `string(${a})`),
  ),
  b: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(
      "true",
      "false",
      "args.flag",
      "has(args.n)",
      "has(args.zz)",
      "args.missing_flag",
    ),
    fc
      .tuple(tie("n"), fc.constantFrom("<", "<=", ">", ">=", "==", "!="), tie("n"))
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    fc
      .tuple(tie("s"), fc.constantFrom("==", "!=", "<"), tie("s"))
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    fc
      .tuple(tie("s"), fc.constantFrom("startsWith", "endsWith", "contains"), tie("s"))
      .map(([a, m, b]) => `${a}.${m}(${b})`),
    tie("s").map((a) => `${a} in ["ops", "db.read", "Hi"]`),
    tie("s").map((a) => `${a} in agent.roles`),
    tie("n").map((a) => `${a} in args.items`),
    tie("b").map((a) => `!(${a})`),
    fc
      .tuple(tie("b"), fc.constantFrom("&&", "||"), tie("b"))
      .map(([a, o, b]) => `(${a} ${o} ${b})`),
    fc
      .tuple(fc.constantFrom("exists", "all"), tie("n"))
      .map(([m, a]) => `args.items.${m}(i, i > ${a})`),
    fc
      .tuple(fc.constantFrom("exists", "all"), tie("s"))
      .map(([m, a]) => `agent.roles.${m}(r, r.startsWith(${a}))`),
  ),
})).b;

describe("compiled code vs the reference interpreter", () => {
  it("agree on random well-typed expressions (value, or both fail)", () => {
    const outcomes = { value: 0, error: 0 };
    fc.assert(
      fc.property(num, (src) => {
        const checked = checkExpression(src);
        expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        let expected: unknown;
        try {
          expected = refEval(parseExpression(src).ast!, ctx);
        } catch (e) {
          if (!(e instanceof RefError)) throw e;
          expected = "error";
        }
        let actual: unknown;
        try {
          actual = evaluateExpression(src, ctx);
        } catch (e) {
          if (!(e instanceof ExpressionError)) throw e;
          actual = "error";
        }
        expect(actual).toEqual(expected);
        outcomes[actual === "error" ? "error" : "value"]++;
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 600) },
    );
    // Both paths are exercised: the generators are not degenerate.
    expect(outcomes.value).toBeGreaterThan(150);
    expect(outcomes.error).toBeGreaterThan(30);
  });
});

describe("robustness", () => {
  it("checking and compiling never throw on arbitrary token soup", () => {
    const soup = fc.array(
      fc.constantFrom(
        ..."a b args agent time . ( ) [ ] { } , : ? ! - + * / % == != < <= > >= in && || true null 1 2.5 'x' \"y\" size has exists matches getHours duration".split(
          " ",
        ),
      ),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(soup, (parts) => {
        const src = parts.join(" ");
        const r = checkExpression(src);
        if (r.diagnostics.some((d) => d.severity === "error")) return;
        try {
          evaluateExpression(src, {
            args: { a: 1 },
            agent: { id: "x" },
            time: "2026-01-01T00:00:00Z",
          });
        } catch (e) {
          expect(e).toBeInstanceOf(ExpressionError);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 500) },
    );
  });
});
