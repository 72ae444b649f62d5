import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "./diagnostics.js";
import { parseExpression } from "./parse.js";

const messagesOf = (src: string) =>
  parseExpression(src).diagnostics.map(
    (d) => `${d.span.line}:${d.span.col} ${d.code} ${d.message}`,
  );

describe("parseExpression", () => {
  it("parses CEL precedence: && binds tighter than ||, ?: is lowest and right-associative", () => {
    const { ast, diagnostics } = parseExpression("a || b && c ? d : e ? f : g");
    expect(diagnostics).toEqual([]);
    expect(ast?.kind).toBe("conditional");
    if (ast?.kind !== "conditional") return;
    expect(ast.test.kind === "binary" && ast.test.op).toBe("||");
    expect(ast.alternate.kind).toBe("conditional");
  });

  it("records 1-based spans shifted by the origin on the first line only", () => {
    const { ast } = parseExpression('x\n  == "y"', { file: "p.yaml", line: 10, col: 9 });
    expect(ast?.span).toEqual({ file: "p.yaml", line: 10, col: 9, endLine: 11, endCol: 8 });
  });

  it("decodes string escapes in single and double quotes", () => {
    const { ast } = parseExpression(String.raw`'it\'s \u00e9\n"'`);
    expect(ast).toMatchObject({ kind: "literal", value: "it's é\n\"" });
  });

  it("reports every syntax error of a condition, not only the first", () => {
    expect(messagesOf("a == && b = 3")).toEqual([
      "1:6 E0002 unexpected `&&`",
      "1:11 E0001 unexpected character `=`",
      "1:13 E0004 unexpected `3` after the expression",
    ]);
  });

  it("suggests symbols for operators written as words", () => {
    const [d] = parseExpression("a and b").diagnostics;
    expect([d?.code, d?.message, d?.help]).toEqual([
      "E0004",
      "unexpected `and` after the expression",
      "use `&&` instead of `and`",
    ]);
  });

  it("names the missing token", () => {
    expect(messagesOf("size(args.items")).toEqual(["1:16 E0003 expected `)`, found end of input"]);
    expect(messagesOf("[1, 2")).toEqual(["1:6 E0003 expected `]`, found end of input"]);
  });

  it("reports unterminated strings, bad escapes, empty input and huge numbers", () => {
    expect(messagesOf('x == "abc')[0]).toBe("1:6 E0005 unterminated string literal");
    expect(messagesOf(String.raw`"a\qb"`)).toEqual(["1:3 E0006 invalid escape sequence `\\q`"]);
    expect(messagesOf("   ")).toEqual(["1:4 E0007 the condition is empty"]);
    expect(messagesOf("1e400")).toEqual(["1:1 E0008 invalid number `1e400`"]);
  });

  it("bounds the length and the nesting of a condition instead of overflowing the stack", () => {
    expect(messagesOf(`${"(".repeat(65)}a${")".repeat(65)}`)).toEqual([
      "1:65 E0010 the condition is nested too deeply (more than 64 levels)",
    ]);
    expect(parseExpression(`${"(".repeat(64)}a${")".repeat(64)}`).diagnostics).toEqual([]);
    expect(messagesOf(Array(501).fill("1").join("+"))).toEqual([
      "1:1001 E0009 the condition is too long (more than 1000 tokens)",
    ]);
    const longest = parseExpression(Array(500).fill("true").join(" && "));
    expect(longest.diagnostics).toEqual([]);
    expect(parseExpression(`${"!".repeat(999)}a`).diagnostics).toEqual([]);
  });

  it("formats a diagnostic with a code frame and help", () => {
    const src = 'agent.id = "x"';
    const d = parseExpression(src, { file: "policies/a.yaml", line: 7, col: 11 }).diagnostics[0]!;
    const text = formatDiagnostic(d, `${"\n".repeat(6)}    when: ${src}`);
    expect(text).toBe(
      [
        "policies/a.yaml:7:20: error[E0001]: unexpected character `=`",
        "  |",
        '7 |     when: agent.id = "x"',
        "  |                    ^",
        "  = help: use `==` to compare values",
      ].join("\n"),
    );
  });

  it("never throws on random input, only returns diagnostics", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const src = Buffer.from(bytes).toString("latin1");
        const r = parseExpression(src);
        expect(r.ast !== undefined || r.diagnostics.length > 0).toBe(true);
        for (const d of r.diagnostics) {
          expect(d.span.line).toBeGreaterThanOrEqual(1);
          expect(d.span.col).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."ab1.()[]{}'\"\\,:?!<=>&|+-*/% in"), maxLength: 40 }),
        (src) => {
          const r = parseExpression(src);
          expect(r.ast !== undefined || r.diagnostics.length > 0).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});
