import { describe, expect, it } from "vitest";
import { loadSuiteFile } from "./load-suite.js";

const header = "apiVersion: paracle.dev/v1\nkind: PolicyTest\nmetadata: { name: s }\n";

function load(text: string) {
  return loadSuiteFile("p/s_test.yaml", text);
}

function where(text: string) {
  return load(text).diagnostics.map(
    (d) => `${d.span.line}:${d.span.col} ${d.code} ${d.message}${d.help ? ` (${d.help})` : ""}`,
  );
}

describe("loadSuiteFile", () => {
  it("resolves fixtures, the action shorthand and the pinned clock", () => {
    const { suites, diagnostics } = load(`${header}now: "2025-03-04T10:00:00+01:00"
fixtures:
  agents:
    bot: { id: b, roles: [support], trust_level: 1 }
    trusted: { $use: bot, trust_level: 4 }
  args:
    big: { amount: 900, currency: EUR }
  inputs:
    base: { agent: bot, args: big }
cases:
  - name: one
    input: { $use: base, agent: trusted, action: payments.refund, args: { $use: big, amount: 5 } }
    expect: { decision: allow }
  - name: two
    now: "2025-01-01T00:00:00Z"
    input: { agent: { $use: bot, id: other }, action: { name: echo, kind: read }, time: "2020-01-01T00:00:00Z" }
    expect: { decision: deny }
  - name: three
    input: { agent: { id: x }, action: echo, time: "2020-01-01T00:00:00Z" }
    expect: { decision: deny }
`);
    expect(diagnostics).toEqual([]);
    const [one, two, three] = suites[0]!.cases;
    expect(one!.input).toEqual({
      agent: { id: "b", roles: ["support"], trust_level: 4 },
      action: { name: "payments.refund" },
      args: { amount: 5, currency: "EUR" },
      time: "2025-03-04T09:00:00.000Z",
    });
    expect(one!.span).toMatchObject({ file: "p/s_test.yaml", line: 14, col: 5 });
    expect(two!.input.agent).toEqual({ id: "other", roles: ["support"], trust_level: 1 });
    expect(two!.input.time).toBe("2025-01-01T00:00:00.000Z");
    expect(three!.input.time).toBe("2020-01-01T00:00:00Z");
  });

  it("keeps `__proto__` as an ordinary key", () => {
    const { suites, diagnostics } = load(`${header}cases:
  - name: p
    input: { agent: { id: a }, action: echo, args: { __proto__: { polluted: true } } }
    expect: { decision: allow }
`);
    expect(diagnostics).toEqual([]);
    const args = suites[0]!.cases[0]!.input.args!;
    expect(Object.hasOwn(args, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reports every problem with its position", () => {
    const text = `apiVersion: paracle.dev/v2
kind: PolicyTest
metadata: { name: s, descriptoin: x }
now: yesterday
fixtures:
  agents: { bot: { id: b } }
cases:
  - name: a
    input: { agent: bto, action: echo }
    expect: { decision: permit, matchd: [x] }
  - name: a
    input: { agent: bot }
    expect: { decision: allow, risk: { level: huge, score: { min: 9, max: 1 } } }
  - input: { agent: bot, action: echo }
    expect: {}
  - name: c
    skip: "yes"
    input: [1]
`;
    expect(where(text)).toEqual([
      "1:13 test_bad_api_version unsupported apiVersion `paracle.dev/v2` (use `paracle.dev/v1`)",
      "3:22 test_unknown_field unknown field `descriptoin` in `metadata` (did you mean `description`?)",
      "4:6 test_bad_timestamp `yesterday` is not an ISO 8601 timestamp (write e.g. `2025-03-04T10:00:00Z`)",
      "9:21 test_unknown_fixture unknown fixture `bto` in `fixtures.agents` (did you mean `bot`?)",
      "10:25 test_bad_value `expect.decision` must be one of `allow`, `deny`, `require_approval`, found `permit`",
      "10:33 test_unknown_field unknown field `matchd` in `expect` (did you mean `matched`?)",
      "12:5 test_missing_action the case input has no `action` (after applying fixtures)",
      "13:47 test_bad_value `expect.risk.level` must be one of `low`, `medium`, `high`, `critical`, found `huge`",
      "13:60 test_bad_value `expect.risk.score`: `min` is greater than `max`",
      "14:5 test_missing_field missing required field `name` in a test case",
      "15:5 test_empty_expect `expect` asserts nothing (add at least `decision`)",
      "16:5 test_missing_field missing required field `expect` in a test case",
      "17:11 test_wrong_type `skip` must be a boolean, found a string",
      "18:12 test_wrong_type `input` must be a mapping, found a list",
    ]);
  });

  it("reports YAML syntax errors and wrong kinds", () => {
    expect(where(`${header}cases: [ { name: x\n`)[0]).toMatch(/^5:1 test_yaml_syntax flow map/);
    expect(where("apiVersion: paracle.dev/v1\nkind: PolicySet\nmetadata: { name: x }\n")).toEqual([
      "2:7 test_bad_kind a test file holds `PolicyTest` documents, found kind `PolicySet`",
    ]);
  });

  it("reports fixture cycles and duplicate case names", () => {
    const text = `${header}fixtures:
  agents:
    a: { $use: b }
    b: { $use: a }
cases:
  - name: x
    input: { agent: a, action: echo }
    expect: { decision: allow }
`;
    expect(where(text)).toEqual([
      "10:21 test_fixture_cycle fixture `a` uses itself through `$use`",
    ]);
    const dup = `${header}cases:
  - { name: x, input: { agent: { id: a }, action: echo }, expect: { decision: allow } }
  - { name: x, input: { agent: { id: a }, action: echo }, expect: { decision: allow } }
`;
    expect(where(dup)).toEqual(["6:5 test_duplicate_case duplicate case name `x` in this suite"]);
  });
});
