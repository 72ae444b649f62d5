import { describe, expect, it } from "vitest";
import { checkExpression } from "../compile.js";
import { formatDiagnostic } from "../diagnostics.js";
import { defaultContextSchema, extendSchema, SchemaError } from "../schema.js";
import { typeName } from "../types.js";

const constants = { dangerous_tools: ["shell.exec", "fs.delete"], max_refund: 500 };
const diags = (src: string, schema = defaultContextSchema) =>
  checkExpression(src, schema, { constants }).diagnostics.map(
    (d) => `${d.span.col}-${d.span.endCol} ${d.code} ${d.message}${d.help ? ` | ${d.help}` : ""}`,
  );
const typeOf = (src: string) => typeName(checkExpression(src, undefined, { constants }).type);

describe("checkExpression", () => {
  it("types the context schema, constants and operators", () => {
    expect(typeOf("agent.trust_level >= 3")).toBe("bool");
    expect(typeOf("agent.roles")).toBe("list<string>");
    expect(typeOf("args.amount")).toBe("dyn");
    expect(typeOf("risk.factors.velocity")).toBe("number");
    expect(typeOf('time + duration("1h")')).toBe("timestamp");
    expect(typeOf('time - timestamp("2026-01-01T00:00:00Z")')).toBe("duration");
    expect(typeOf("agent.roles.map(r, size(r))")).toBe("list<number>");
    expect(typeOf("dangerous_tools")).toBe("list<string>");
    expect(typeOf("true ? 1 : 2")).toBe("number");
    expect(typeOf("true ? 1 : null")).toBe("dyn");
    expect(typeOf("true ? 1 : args.x")).toBe("dyn");
  });

  it("rejects unknown fields of closed objects with a suggestion", () => {
    expect(diags('action.nme == "x"')).toEqual([
      "8-10 E0102 unknown field `nme` on `action` | did you mean `name`?",
    ]);
    expect(diags("history.call > 3")).toEqual([
      "9-12 E0102 unknown field `call` on `history` | did you mean `calls`?",
    ]);
  });

  it("rejects unknown identifiers and functions with suggestions", () => {
    expect(diags("agnt.id")).toEqual([
      "1-4 E0101 unknown identifier `agnt` | did you mean `agent`?",
    ]);
    expect(diags("action.name in dangerous_tool")).toEqual([
      "16-29 E0101 unknown identifier `dangerous_tool` | did you mean `dangerous_tools`?",
    ]);
    expect(diags("sise(agent.roles) > 1")).toEqual([
      "1-17 E0104 unknown function `sise` | did you mean `size`?",
    ]);
  });

  it("warns (not errors) on a likely typo of an open object's field", () => {
    const r = checkExpression("agent.trustlevel > 2");
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.help])).toEqual([
      ["warning", "W0001", "did you mean `trust_level`?"],
    ]);
    expect(checkExpression("agent.department == 'x'").diagnostics).toEqual([]);
  });

  it("rejects comparisons between different types", () => {
    expect(diags('agent.trust_level == "3"')).toEqual([
      "1-24 E0107 cannot compare number with string using `==` | convert one side first, e.g. with `int(x)`, `string(x)` or `timestamp(x)`",
    ]);
    expect(diags("action.name < 3")[0]).toContain(
      "E0107 cannot compare string with number using `<`",
    );
    expect(diags("true < false")[0]).toContain(
      "E0108 operator `<` cannot be applied to bool and bool",
    );
    expect(diags('1 in ["a"]')[0]).toContain("E0119 cannot look for number in list<string>");
    expect(diags('"a" + 1')[0]).toContain(
      "E0108 operator `+` cannot be applied to string and number",
    );
  });

  it("checks argument counts and types of builtins", () => {
    expect(diags("size()")).toEqual(["1-6 E0105 `size` expects 1 argument, got 0"]);
    expect(diags("action.name.startsWith(1)")).toEqual([
      "1-25 E0106 no overload of `startsWith` accepts (string, number)",
    ]);
    expect(diags("agent.trust_level.startsWith('a')")).toEqual([
      "1-33 E0117 no method `startsWith` on values of type number",
    ]);
    expect(diags("startsWith('a', 'b')")[0]).toContain("E0104 unknown function `startsWith`");
  });

  it("requires bool operands for logical operators and predicates", () => {
    expect(diags("agent.id && true")).toEqual([
      "1-8 E0109 an operand of `&&` must be a bool, found string",
    ]);
    expect(diags("agent.roles.exists(r, size(r))")).toEqual([
      "23-29 E0109 the predicate of `exists` must be a bool, found number",
    ]);
    expect(diags("agent.roles.exists('r', true)")[0]).toContain("E0112");
    expect(diags("has(agent)")[0]).toContain("E0113");
  });

  it("validates regular expressions at compile time, including ReDoS", () => {
    expect(diags('action.name.matches("[a-z")')[0]).toContain(
      "E0201 invalid regular expression `[a-z`: Unterminated character class",
    );
    expect(diags('action.name.matches("(a+)+$")')).toEqual([
      "21-28 E0202 regular expression `(a+)+$` is prone to catastrophic backtracking | a pattern such as `(a+)+` or `(a|a)*` can take exponential time on some inputs; remove the nested or overlapping repetition",
    ]);
    expect(diags("action.name.matches(action.kind)")).toEqual([
      "21-31 E0203 the pattern of `matches` must be a string literal",
    ]);
    expect(diags('action.name.matches("(?i)^db\\\\.(drop|delete)$")')).toEqual([]);
  });

  it("validates durations, timestamps and time zones given as literals", () => {
    expect(diags('duration("5 minutes")')[0]).toContain("E0204 invalid duration `5 minutes`");
    expect(diags('timestamp("yesterday")')[0]).toContain("E0205 invalid timestamp `yesterday`");
    expect(diags('time.getHours("Europe/Pariss")')[0]).toContain(
      "E0206 unknown time zone `Europe/Pariss`",
    );
  });

  it("forbids prototype-related field names everywhere", () => {
    expect(diags("args.__proto__")[0]).toContain("E0103 field name `__proto__` is not allowed");
    expect(diags('resource["constructor"]')[0]).toContain("E0103");
    expect(diags('{"prototype": 1}')[0]).toContain("E0103");
  });

  it("reports all type errors of a condition, sorted by position", () => {
    expect(diags("agnt.id == 1 && action.nam == 2").map((d) => d.split(" ")[1])).toEqual([
      "E0101",
      "E0102",
    ]);
  });

  it("lists the constants an expression uses", () => {
    const r = checkExpression(
      "action.name in dangerous_tools && args.amount < max_refund",
      undefined,
      {
        constants,
      },
    );
    expect(r.usedConstants).toEqual(["dangerous_tools", "max_refund"]);
  });

  it("formats type errors with the origin's file and a code frame", () => {
    const src = "agent.rolez";
    const [d] = checkExpression('action.nme == "x"', undefined, {
      origin: { file: "p.yaml", line: 3, col: 11 },
    }).diagnostics;
    expect(formatDiagnostic(d!, `a\nb\n    when: action.nme == "x"`)).toBe(
      [
        "p.yaml:3:18: error[E0102]: unknown field `nme` on `action`",
        "  |",
        '3 |     when: action.nme == "x"',
        "  |                  ^^^",
        "  = help: did you mean `name`?",
      ].join("\n"),
    );
    expect(src).toBeTruthy();
  });
});

describe("extendSchema", () => {
  it("adds typed fields to objects and turns maps into open objects", () => {
    const s = extendSchema(defaultContextSchema, {
      agent: { department: "string", clearance: "int" },
      resource: { env: "string", tags: "list<string>" },
      tenant: { id: "string" },
    });
    expect(typeName(checkExpression("agent.clearance + 1", s).type)).toBe("number");
    expect(typeName(checkExpression("resource.tags", s).type)).toBe("list<string>");
    expect(typeName(checkExpression("resource.other", s).type)).toBe("dyn");
    expect(checkExpression("tenant.name", s).diagnostics[0]?.message).toBe(
      "unknown field `name` on `tenant`",
    );
    expect(checkExpression('agent.clearance == "x"', s).diagnostics[0]?.code).toBe("E0107");
  });

  it("rejects unknown type names", () => {
    expect(() => extendSchema(defaultContextSchema, { agent: { x: "strng" } })).toThrow(
      SchemaError,
    );
  });
});
