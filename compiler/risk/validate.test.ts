import { describe, expect, it } from "vitest";
import { compileYaml, problems } from "./test-helpers/compile-yaml.js";

const head = "apiVersion: paracle.dev/v1\nkind: RiskModel\nmetadata: { name: t }\nspec:\n";
const ok = "    - { id: a, weight: 1, max: 10, expression: '1' }\n";

describe("model diagnostics (all at once, at their YAML position)", () => {
  it("weights and maxima must be positive; ids unique identifiers; one kind per factor", () => {
    expect(
      problems(`${head}  factors:
    - { id: a, weight: 0, max: 10, expression: '1' }
    - { id: b, weight: 1, max: -2, expression: '1' }
    - { id: a, max: 10, expression: '1' }
    - { id: "bad id", max: 10, expression: '1' }
    - { id: __proto__, max: 10, expression: '1' }
    - { id: c, max: 10, expression: '1', lookup: { expression: 'action.name', table: {} } }
    - { id: d, expression: '1' }
    - { id: e, max: 10, wieght: 2, expression: '1' }
`),
    ).toEqual([
      "6:24 risk-not-positive: `weight` of factor `a` must be greater than 0, found `0`",
      "7:32 risk-not-positive: `max` of factor `b` must be greater than 0, found `-2`",
      "8:13 duplicate-id: duplicate factor id `a`",
      "9:13 bad-value: invalid id `bad id`",
      "10:13 bad-value: invalid id `__proto__`",
      "11:50 risk-factor-kind: factor `c` needs exactly one of `expression`, `lookup` or `bands`",
      "12:7 missing-field: missing `max` in factor `d`",
      "13:33 unknown-field: unknown field `wieght` in a factor",
    ]);
    const c = compileYaml(
      `${head}  factors:\n    - { id: e, max: 10, wieght: 2, expression: '1' }\n`,
    );
    expect(c.diagnostics[0]!.help).toBe("did you mean `weight`?");
  });

  it("bands must be non-empty and must not overlap", () => {
    expect(
      problems(`${head}  factors:
    - id: t
      max: 10
      bands:
        expression: 'time.getHours()'
        bands:
          - { from: 0, to: 6, value: 8 }
          - { from: 5, to: 20, value: 1 }
          - { from: 20, to: 20, value: 1 }
          - { from: 20, to: 24, value: 6 }
`),
    ).toEqual([
      "12:13 risk-band-overlap: band `5–20` overlaps band `0–6`",
      "13:13 risk-band-range: band `20–20` is empty: `from` must be less than `to`",
    ]);
  });

  it("levels must increase and cover 0–100; names, actions and alert_at are checked", () => {
    expect(
      problems(`${head}  factors:\n${ok}  levels:
    low: { max: 40 }
    medium: { max: 35, action: escalate }
    hihg: { max: 70 }
    critical: { max: 90 }
  alert_at: hgh
`),
    ).toEqual([
      "9:13 risk-level-order: level `medium` ends at 35, not above level `low` (40)",
      "9:32 bad-value: unknown level action `escalate`",
      "10:11 unknown-level: unknown risk level `hihg`",
      "11:15 risk-level-coverage: level `critical` ends at 90, so scores above it have no level",
      "12:13 unknown-level: unknown risk level `hgh`",
    ]);
    expect(problems(`${head}  factors:\n${ok}  levels:\n    low: { max: 101 }\n`)).toEqual([
      "8:17 risk-level-range: the `max` of level `low` must be a number from 0 to 100, found `101`",
    ]);
  });

  it("custom detectors: bad regex, ReDoS, empty match, unknown class, builtin names", () => {
    expect(
      problems(`${head}  factors:\n${ok}  detectors:
    - { id: broken, pattern: 'EMP-[0-9', sensitivity: confidential }
    - { id: redos, pattern: '(a+)+$', sensitivity: confidential }
    - { id: empty, pattern: 'x*', sensitivity: confidential }
    - { id: klass, pattern: 'K-[0-9]{4}', sensitivity: topsecret }
    - { id: email, pattern: 'x@y', sensitivity: pii }
    - { id: fine, pattern: 'EMP-[0-9]{6}', sensitivity: confidential }
`),
    ).toEqual([
      "8:30 bad-regex: invalid regular expression: Invalid regular expression: /EMP-[0-9/: Unterminated character class",
      "9:29 unsafe-regex: regular expression `(a+)+$` may backtrack catastrophically (ReDoS)",
      "10:29 bad-regex: regular expression `x*` matches the empty string",
      "11:56 bad-value: unknown sensitivity `topsecret`",
      "12:13 duplicate-id: custom detector `email` has the name of a builtin detector",
    ]);
  });

  it("lookup tables over detect() and sensitivity() must use known names", () => {
    const c = compileYaml(`${head}  factors:
    - { id: d, max: 10, lookup: { expression: 'detect(args)', table: { emial: 5, iban: 8, employee_id: 3 } } }
    - { id: s, max: 10, lookup: { expression: 'sensitivity(args)', table: { secret: 10, piii: 5 } } }
  detectors:
    - { id: employee_id, pattern: 'EMP-[0-9]{6}', sensitivity: confidential }
`);
    expect(c.diagnostics.map((d) => [d.code, d.message, d.help])).toEqual([
      ["unknown-detector", "unknown detector `emial`", "did you mean `email`?"],
      ["bad-value", "`piii` is not a sensitivity class", "did you mean `pii`?"],
    ]);
  });

  it("expressions are type-checked; the model cannot read `risk`", () => {
    expect(
      problems(`${head}  factors:
    - { id: a, max: 10, expression: 'action.nmae' }
    - { id: b, max: 10, expression: 'action.name' }
    - { id: c, max: 10, expression: 'risk.score' }
    - { id: d, max: 10, expression: '1', adjustments: [{ when: 'args.x', add: 1 }, { when: '1 + 1', add: 2 }] }
`),
    ).toEqual([
      "6:45 E0102: unknown field `nmae` on `action`",
      "7:37 risk-expression-type: the value of factor `b` must be a number, found string",
      "8:38 E0101: unknown identifier `risk`",
      "9:92 risk-expression-type: an adjustment's `when` must be a bool, found number",
    ]);
  });

  it("a custom combination may only use known factors", () => {
    const c =
      compileYaml(`${head}  combination: { expression: 'factors.trust * 10 + normalized.actoin * 50' }
  factors:
    - { id: trust, max: 10, expression: '1' }
    - { id: action, max: 10, expression: '1' }
`);
    expect(c.diagnostics.map((d) => [d.code, d.message, d.help])).toEqual([
      ["unknown-factor", "unknown factor `actoin`", "did you mean `action`?"],
    ]);
    expect(c.diagnostics[0]!.span).toMatchObject({ line: 5, col: 63 });
  });

  it("spec shape: missing spec, no factors, bad combination, bad time zone", () => {
    expect(
      problems("apiVersion: paracle.dev/v1\nkind: RiskModel\nmetadata: { name: t }\n"),
    ).toEqual(["1:1 missing-field: missing `spec` in the RiskModel"]);
    expect(
      problems(`${head}  timezone: Mars/Olympus\n  combination: average\n  factors: []\n`),
    ).toEqual([
      "5:13 bad-time-zone: unknown time zone `Mars/Olympus`",
      "6:16 bad-value: unknown combination `average`",
      "7:12 missing-field: a risk model needs at least one factor",
    ]);
  });
});

describe("schema/risk-model.schema.json", () => {
  it("names exactly the fields the compiler accepts", async () => {
    const { readFileSync } = await import("node:fs");
    const { FACTOR_KEYS, SPEC_KEYS } = await import("./validate.js");
    const schema = JSON.parse(
      readFileSync(new URL("../../schema/risk-model.schema.json", import.meta.url), "utf8"),
    ) as { properties: object; $defs: { Factor: { properties: object } } };
    expect(Object.keys(schema.properties).sort()).toEqual([...SPEC_KEYS].sort());
    expect(Object.keys(schema.$defs.Factor.properties).sort()).toEqual([...FACTOR_KEYS].sort());
  });
});
