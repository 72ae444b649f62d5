import { describe, expect, it } from "vitest";
import { compileExpression } from "./compile.js";
import { ExpressionError, evaluateExpression } from "./evaluate.js";
import { explainExpression } from "./explain.js";
import { interpretExpression } from "./interpreter.js";
import { parseExpression } from "./parse.js";

const ctx = {
  agent: { id: "bot-1", roles: ["support", "admin"], trust_level: 4, team: "eu" },
  action: { name: "db.delete", kind: "delete", phase: "call" },
  args: { amount: 250, items: [1, 2, 3], "content-type": "text/plain", nested: { a: [{ b: 1 }] } },
  resource: { env: "production" },
  time: "2026-03-02T07:30:00Z",
  risk: { score: 42, level: "medium", factors: { velocity: 0.5 } },
};
const constants = { dangerous_tools: ["db.delete", "shell.exec"], max_refund: 500 };

/** Evaluates with compiled code and with the interpreter; both must agree. */
function both(src: string, input: unknown = ctx): unknown {
  let compiled: unknown;
  let interpreted: unknown;
  try {
    compiled = evaluateExpression(src, input, { constants });
  } catch (e) {
    compiled = { error: (e as ExpressionError).code };
  }
  try {
    interpreted = interpretExpression(parseExpression(src).ast!, input, constants);
  } catch (e) {
    interpreted = { error: (e as { code?: string }).code };
  }
  expect(interpreted).toEqual(compiled);
  return compiled;
}

describe("evaluateExpression", () => {
  it("evaluates every operator", () => {
    expect(both("1 + 2 * 3 - 4 / 2 % 3")).toBe(5);
    expect(both("-agent.trust_level")).toBe(-4);
    expect(both("!(1 < 2) || 2 <= 2 && 3 > 2 && 3 >= 4")).toBe(false);
    expect(both('"ab" + "c" == "abc" && "a" != "b"')).toBe(true);
    expect(both("[1] + [2, 3] == [1, 2, 3]")).toBe(true);
    expect(both('{"a": [1, {"b": null}]} == {"a": [1, {"b": null}]}')).toBe(true);
    expect(both('{"a": 1} == {"a": 2}')).toBe(false);
    expect(both('"admin" in agent.roles && "x" in {"x": 1} && 2 in [1, 2]')).toBe(true);
    expect(both("action.name in dangerous_tools")).toBe(true);
    expect(both("args.amount < max_refund ? 'small' : 'large'")).toBe("small");
  });

  it("evaluates paths and indexing", () => {
    expect(both('args["content-type"]')).toBe("text/plain");
    expect(both("args.items[1]")).toBe(2);
    expect(both("args.nested.a[0].b")).toBe(1);
    expect(both("risk.factors.velocity")).toBe(0.5);
  });

  it("evaluates string, list, conversion and time functions", () => {
    expect(both("size('héllo') + size(args.items) + args.items.size() + size(args.nested)")).toBe(
      12,
    );
    expect(both("size('😀')")).toBe(1);
    expect(both('action.name.startsWith("db.") && action.name.endsWith(".delete")')).toBe(true);
    expect(
      both('action.name.contains("b.d") && action.name.matches("^db\\\\.(drop|delete)$")'),
    ).toBe(true);
    expect(both('matches("ABC", "(?i)^abc$")')).toBe(true);
    expect(both('"MiXé".lowerAscii() + "MiXé".upperAscii()')).toBe("mixéMIXé");
    expect(both('int("42") + int(-3.7) + int(timestamp("1970-01-01T00:01:00Z"))')).toBe(99);
    expect(both('string(1.5) + string(true) + string(duration("90s"))')).toBe("1.5true90s");
    expect(both("string(time)")).toBe("2026-03-02T07:30:00.000Z");
    expect(both('time.getHours("Europe/Paris")')).toBe(8);
    expect(both('time.getHours() + time.getMinutes("Asia/Kolkata")')).toBe(7 + 0);
    expect(both('time.getDayOfWeek("America/Los_Angeles")')).toBe(0);
    expect(both("time.getDate() * 100 + time.getMonth()")).toBe(202);
    expect(both("time.getFullYear('Pacific/Kiritimati')")).toBe(2026);
    expect(both('time + duration("1h30m")')).toBe("2026-03-02T09:00:00.000Z");
    expect(both('time - timestamp("2026-03-02T07:00:00Z") < duration("31m")')).toBe(true);
    expect(both('time > timestamp("2026-01-01T00:00:00Z")')).toBe(true);
  });

  it("evaluates the macros with a bound variable", () => {
    expect(both("args.items.exists(i, i > 2)")).toBe(true);
    expect(both("args.items.all(i, i > 2)")).toBe(false);
    expect(both("args.items.exists_one(i, i == 2)")).toBe(true);
    expect(both("args.items.filter(i, i % 2 == 1)")).toEqual([1, 3]);
    expect(both("args.items.map(i, i * 10)")).toEqual([10, 20, 30]);
    expect(both('args.exists(k, k == "amount")')).toBe(true);
    expect(both("args.items.map(i, args.items.filter(j, j < i).size())")).toEqual([0, 1, 2]);
    expect(both("[[1, 2], [3]].all(l, l.exists(l, l > 0))")).toBe(true);
  });

  it("absorbs errors in && and || like CEL, in any operand order", () => {
    expect(both("args.missing == 1 && false")).toBe(false);
    expect(both("false && args.missing == 1")).toBe(false);
    expect(both("args.missing == 1 || true")).toBe(true);
    expect(both("true || args.missing == 1")).toBe(true);
    expect(both("args.missing == 1 && true")).toEqual({ error: "R0001" });
    expect(both("args.missing == 1 || false")).toEqual({ error: "R0001" });
    expect(both("args.items.exists(i, i.startsWith('a') || i == 3)")).toBe(true);
    expect(both("args.items.all(i, i.startsWith('a'))")).toEqual({ error: "R0002" });
  });

  it("raises run-time errors for missing fields, except under has()", () => {
    expect(both("resource.owner == 'x'")).toEqual({ error: "R0001" });
    expect(both("has(resource.owner)")).toBe(false);
    expect(both("has(resource.env) && has(args['content-type'])")).toBe(true);
    expect(both("args.items[7]")).toEqual({ error: "R0003" });
    expect(both("args.amount / 0")).toEqual({ error: "R0004" });
    expect(both("time.getHours()", { time: "not a time" })).toEqual({ error: "R0005" });
  });

  it("checks dyn values at run time", () => {
    expect(both('args.amount == "250"')).toEqual({ error: "R0002" });
    expect(both("args.amount == null")).toBe(false);
    expect(both("args.amount < 'x'")).toEqual({ error: "R0002" });
    expect(both("args.amount + 'x'")).toEqual({ error: "R0002" });
    expect(both("args['content-type'].startsWith(1 == 1 ? 'text' : 'x')")).toBe(true);
    expect(both("size(args.amount)")).toEqual({ error: "R0002" });
  });

  it("validates schema-typed input values instead of coercing them", () => {
    const bad = { ...ctx, agent: { ...ctx.agent, trust_level: "5" } };
    expect(both("agent.trust_level > 3", bad)).toEqual({ error: "R0002" });
    expect(both('"admin" in agent.roles', { agent: { roles: "admin" } })).toEqual({
      error: "R0002",
    });
  });

  it("throws ExpressionError with formatted diagnostics when the expression is invalid", () => {
    try {
      evaluateExpression("action.nme == 1", ctx);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ExpressionError);
      const err = e as ExpressionError;
      expect(err.diagnostics.map((d) => d.code)).toEqual(["E0102"]);
      expect(err.message).toContain(
        "<expression>:1:8: error[E0102]: unknown field `nme` on `action`",
      );
      expect(err.message).toContain("help: did you mean `name`?");
    }
  });
});

describe("generated code", () => {
  it("is deterministic and names hoisted declarations from the prefix", () => {
    const ast = parseExpression('action.name.matches("^db") && action.name in ["a", "b"]').ast!;
    const a = compileExpression(ast, { prefix: "r7" });
    const b = compileExpression(ast, { prefix: "r7" });
    expect(a).toEqual(b);
    expect(a.expression).toBe("$and_r7_0(ctx)");
    expect(a.hoisted.some((h) => h.startsWith('const $re_r7_1 = new RegExp("^db", "u");'))).toBe(
      true,
    );
    expect(a.hoisted.some((h) => h.startsWith('const $set_r7_2 = new Set(["a","b"]);'))).toBe(true);
  });

  it("emits injected strings only as JSON literals", () => {
    const payload = '"); process.exit(1); ("';
    const src = `agent.id == ${JSON.stringify(payload)} || args[${JSON.stringify(payload)}] == 1 || '\u2028' == agent.id`;
    const { expression, hoisted } = compileExpression(parseExpression(src).ast!);
    const code = [...hoisted, expression].join("\n");
    expect(code).toContain(JSON.stringify(payload));
    expect(code).not.toContain("\u2028");
    expect(code).toContain("\\u2028");
    expect(code.replaceAll(JSON.stringify(payload), "")).not.toContain("process");
    expect(evaluateExpression(src, { agent: { id: payload }, args: {} })).toBe(true);
    expect(evaluateExpression(src, { agent: { id: "x" }, args: { [payload]: 1 } })).toBe(true);
  });

  it("never reads __proto__, constructor or prototype, even through dynamic keys", () => {
    const input = JSON.parse(
      '{"args": {"__proto__": {"polluted": true}, "k": "__proto__", "c": "constructor"}}',
    );
    expect(() => evaluateExpression("args.__proto__", input)).toThrow(/E0103/);
    expect(() => evaluateExpression("args[args.k]", input)).toThrow(/R0006/);
    expect(() => evaluateExpression("args[args.c]", input)).toThrow(/R0006/);
    expect(evaluateExpression("has(args.k) && !(args.c in {})", input)).toBe(true);
    expect(evaluateExpression("args.exists(k, k == 'toString')", input)).toBe(false);
    expect(() => evaluateExpression("args.toString", input)).toThrow(/R0001/);
    expect(() => evaluateExpression("{}[args.k]", input)).toThrow(/R0006/);
    expect(() => evaluateExpression('{"a": 1}[args.c]', input)).toThrow(/R0006/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("explainExpression", () => {
  it("shows the value or error of each evaluated sub-expression", () => {
    const tree = explainExpression(
      parseExpression("args.missing == 1 || agent.trust_level > 3").ast!,
      ctx,
    );
    expect(tree.source).toBe("args.missing == 1 || agent.trust_level > 3");
    expect(tree.value).toBe(true);
    expect(tree.children[0]).toMatchObject({
      source: "args.missing == 1",
      error: "no such key `missing`",
    });
    expect(tree.children[1]).toMatchObject({ source: "agent.trust_level > 3", value: true });
  });
});

describe("bundle-like module", () => {
  it("runs PRELUDE + hoisted + expression as an ES module with no imports", async () => {
    const { PRELUDE } = await import("./prelude/index.js");
    const a = compileExpression(
      parseExpression('action.name.matches("^db\\\\.") && agent.trust_level > 2').ast!,
      { prefix: "p0" },
    );
    const b = compileExpression(parseExpression("args.items.exists(i, i > 2)").ast!, {
      prefix: "p1",
    });
    const text = [
      PRELUDE,
      ...a.hoisted,
      ...b.hoisted,
      `export function r0(ctx) { return ${a.expression}; }`,
      `export function r1(ctx) { return ${b.expression}; }`,
    ].join("\n");
    const mod = await import(`data:text/javascript;base64,${Buffer.from(text).toString("base64")}`);
    expect(mod.r0(ctx)).toBe(true);
    expect(mod.r1(ctx)).toBe(true);
    expect(() => mod.r1({ args: {} })).toThrow(/no such key `items`/);
  });
});
