import { describe, expect, it } from "vitest";
import { compileYaml, riskOf } from "./test-helpers/compile-yaml.js";

const head = "apiVersion: paracle.dev/v1\nkind: RiskModel\nmetadata: { name: t }\nspec:\n";

/** A model whose score is exactly `args.s` (one factor, max 100). */
const identity = (extra = "") =>
  riskOf(`${head}  factors:\n    - { id: s, weight: 1, max: 100, expression: 'args.s' }\n${extra}`);

describe("levels and boundaries", () => {
  const risk = identity();
  it.each([
    [0, "low", "allow"],
    [30, "low", "allow"],
    [30.5, "medium", "audit"],
    [31, "medium", "audit"],
    [60, "medium", "audit"],
    [60.01, "high", "require_approval"],
    [61, "high", "require_approval"],
    [80, "high", "require_approval"],
    [80.5, "critical", "require_approval"],
    [81, "critical", "require_approval"],
    [100, "critical", "require_approval"],
  ])("score %d is %s (%s)", (s, level, action) => {
    const r = risk({ args: { s } });
    expect(r).toMatchObject({ score: s, level, action });
  });

  it("rounds the score to 2 decimals before choosing the level", () => {
    expect(risk({ args: { s: 30.004 } })).toMatchObject({ score: 30, level: "low" });
    expect(risk({ args: { s: 30.006 } })).toMatchObject({ score: 30.01, level: "medium" });
    // 0.1 + 0.2 style noise never crosses a boundary: 3 factors of 10/30 each = 30 exactly
    const three = riskOf(
      `${head}  factors:\n${["a", "b", "c"].map((id) => `    - { id: ${id}, weight: 1, max: 30, expression: '9' }`).join("\n")}\n`,
    );
    expect(three({}).score).toBe(30);
    expect(three({}).level).toBe("low");
  });

  it("uses configured boundaries, actions, templates and alert_at", () => {
    const r = identity(
      "  levels:\n    low: { max: 10 }\n    medium: { max: 20, action: alert }\n    high: { max: 50, action: deny }\n    critical: { template: critical-chain }\n  alert_at: medium\n",
    );
    expect(r({ args: { s: 10 } })).toMatchObject({ level: "low", action: "allow", alert: false });
    expect(r({ args: { s: 15 } })).toMatchObject({ level: "medium", action: "alert", alert: true });
    expect(r({ args: { s: 50 } })).toMatchObject({ level: "high", action: "deny", alert: true });
    const c = r({ args: { s: 51 } });
    expect(c).toMatchObject({
      level: "critical",
      action: "require_approval",
      template: "critical-chain",
    });
    expect(identity("  alert_at: none\n")({ args: { s: 99 } }).alert).toBe(false);
    expect(identity()({ args: { s: 61 } }).alert).toBe(true);
    expect(identity()({ args: { s: 60 } }).alert).toBe(false);
  });

  it("clamps scores into 0–100", () => {
    expect(risk({ args: { s: 250 } })).toMatchObject({ score: 100, level: "critical" });
    expect(risk({ args: { s: -5 } })).toMatchObject({ score: 0, level: "low" });
  });
});

describe("factor kinds", () => {
  it("expression factor with adjustments and clamp", () => {
    const r = riskOf(`${head}  factors:
    - id: trust
      weight: 2
      max: 10
      expression: '10 - agent.trust_level'
      adjustments:
        - { when: 'has(agent.roles) && "admin" in agent.roles', add: -2 }
        - { when: 'history.anomaly > 3', add: 5 }
      clamp: [0, 10]
`);
    const f = (ctx: Record<string, unknown>) => r({ history: { anomaly: 0 }, ...ctx }).factors[0]!;
    expect(f({ agent: { id: "a", trust_level: 7 } })).toMatchObject({
      raw: 3,
      normalized: 0.3,
      weight: 2,
    });
    expect(f({ agent: { id: "a", trust_level: 7, roles: ["admin"] } }).raw).toBe(1);
    expect(f({ agent: { id: "a", trust_level: 1, roles: ["admin"] } }).raw).toBe(7);
    // clamp applies after adjustments
    expect(f({ agent: { id: "a", trust_level: 1 }, history: { anomaly: 9 } }).raw).toBe(10);
    expect(f({ agent: { id: "a", trust_level: 12, roles: ["admin"] } }).raw).toBe(0);
    // without history the anomaly condition fails: it adds risk, so it counts (fail toward risk)
    expect(r({ agent: { id: "a", trust_level: 7 } }).factors[0]!.raw).toBe(8);
  });

  it("a failing expression takes the factor's max (or on_error) and reports the error", () => {
    const r = riskOf(`${head}  factors:
    - { id: trust, max: 10, expression: '10 - agent.trust_level' }
    - { id: other, max: 10, expression: 'args.n * 1', on_error: 4 }
`);
    const out = r({ agent: { id: "a" } });
    expect(out.factors[0]).toMatchObject({ id: "trust", raw: 10, normalized: 1 });
    expect(out.factors[0]!.error).toMatch(/trust_level/);
    expect(out.factors[1]).toMatchObject({ id: "other", raw: 4 });
    expect(out.factors[1]!.error).toBeTypeOf("string");
  });

  it("an adjustment whose condition fails counts only when it adds risk", () => {
    const r = riskOf(`${head}  factors:
    - id: x
      max: 10
      expression: '5'
      adjustments:
        - { when: 'args.flag == true', add: 2 }
        - { when: 'args.other == true', add: -3 }
`);
    expect(r({ args: {} }).factors[0]!.raw).toBe(7);
    expect(r({ args: { flag: false, other: true } }).factors[0]!.raw).toBe(2);
  });

  it("lookup: exact, glob (highest match wins), contains, lists and defaults", () => {
    const r = riskOf(`${head}  factors:
    - id: exact
      max: 10
      lookup: { expression: 'action.kind', table: { read: 1, write: 4, delete: 9 }, default: 3 }
    - id: glob
      max: 10
      lookup: { expression: 'action.name', match: glob, table: { "*.read": 1, "*.delete": 9, "shell.*": 10, "db.*": 5 }, default: 3 }
    - id: contains
      max: 10
      lookup: { expression: 'resource.url', match: contains, table: { "prod": 8, "staging": 3 } }
    - id: roles
      max: 10
      lookup: { expression: 'agent.roles', table: { intern: 6, admin: 1, contractor: 8 }, default: 2 }
`);
    const raw = (ctx: Record<string, unknown>) =>
      Object.fromEntries(r(ctx).factors.map((f) => [f.id, f.raw]));
    expect(
      raw({
        agent: { id: "a", roles: ["intern", "contractor"] },
        action: { name: "db.read", kind: "read" },
        resource: { url: "https://prod.example/x" },
      }),
    ).toEqual({ exact: 1, glob: 5, contains: 8, roles: 8 });
    expect(
      raw({
        agent: { id: "a", roles: [] },
        action: { name: "shell.exec", kind: "execute" },
        resource: { url: "x" },
      }),
    ).toEqual({ exact: 3, glob: 10, contains: 0, roles: 2 });
    expect(
      raw({
        agent: { id: "a", roles: ["admin"] },
        action: { name: "mail.send", kind: "delete" },
        resource: {},
      }),
    ).toMatchObject({ exact: 9, glob: 3, roles: 1 });
  });

  it("lookup over sensitivity() with custom detectors", () => {
    const r = riskOf(`${head}  factors:
    - id: data
      max: 10
      lookup: { expression: 'sensitivity(args)', table: { public: 0, internal: 2, confidential: 5, pii: 7, financial: 8, health: 9, secret: 10 } }
  detectors:
    - { id: employee_id, pattern: 'EMP-[0-9]{6}', sensitivity: confidential }
`);
    const raw = (args: unknown) => r({ args }).factors[0]!.raw;
    expect(raw({ note: "hello" })).toBe(0);
    expect(raw({ note: "ask EMP-123456" })).toBe(5);
    expect(raw({ to: "jane@example.com" })).toBe(7);
    expect(raw({ card: "4111 1111 1111 1111" })).toBe(8);
    expect(raw({ card: "4111 1111 1111 1112" })).toBe(0);
    expect(raw({ nested: [{ deep: { key: "AKIAIOSFODNN7EXAMPLE" } }] })).toBe(10);
  });

  it("bands: half-open ranges, default outside, time of day in the model's time zone", () => {
    const r = riskOf(`${head}  timezone: Europe/Paris
  factors:
    - id: time_of_day
      max: 10
      bands:
        expression: 'time.getHours(timezone)'
        bands: [{from: 0, to: 6, value: 8}, {from: 6, to: 20, value: 1}, {from: 20, to: 24, value: 6}]
        default: 5
    - id: amount
      max: 10
      bands: { expression: 'args.amount', bands: [{from: 0, to: 100, value: 1}, {from: 1000, to: 1e9, value: 9}], default: 5 }
`);
    const at = (time: string, amount: unknown = 0) =>
      r({ time, args: { amount } }).factors.map((f) => f.raw);
    // Paris is UTC+1 in January: 04:59Z = 05:59 local (night), 05:00Z = 06:00 (day), 19:00Z = 20:00 (evening)
    expect(at("2026-01-05T04:59:00Z")).toEqual([8, 1]);
    expect(at("2026-01-05T05:00:00Z")).toEqual([1, 1]);
    expect(at("2026-01-05T18:59:59Z")).toEqual([1, 1]);
    expect(at("2026-01-05T19:00:00Z")).toEqual([6, 1]);
    expect(at("2026-01-05T22:59:00Z")).toEqual([6, 1]);
    expect(at("2026-01-05T23:00:00Z")).toEqual([8, 1]);
    expect(at("2026-01-05T12:00:00Z", 100)).toEqual([1, 5]);
    expect(at("2026-01-05T12:00:00Z", 99.99)).toEqual([1, 1]);
    expect(at("2026-01-05T12:00:00Z", 1000)).toEqual([1, 9]);
    expect(at("2026-01-05T12:00:00Z", "lots")).toEqual([1, 5]);
  });
});

describe("combinations", () => {
  const factors = `  factors:
    - { id: a, weight: 3, max: 10, expression: 'args.a' }
    - { id: b, weight: 1, max: 5, expression: 'args.b' }
`;
  it("weighted: clamp(Σ(sᵢ/maxᵢ·wᵢ)/Σwᵢ×100); contributions add up to the score", () => {
    const r = riskOf(`${head}${factors}`)({ args: { a: 5, b: 5 } });
    // (0.5·3 + 1·1) / 4 × 100 = 62.5
    expect(r.score).toBe(62.5);
    expect(r.level).toBe("high");
    expect(r.factors).toEqual([
      { id: "a", raw: 5, normalized: 0.5, weight: 3, contribution: 37.5 },
      { id: "b", raw: 5, normalized: 1, weight: 1, contribution: 25 },
    ]);
    // a raw value above max counts as max (normalized ≤ 1)
    expect(riskOf(`${head}${factors}`)({ args: { a: 50, b: 0 } }).score).toBe(75);
  });

  it("max: the highest normalised factor gives the score and the whole contribution", () => {
    const r = riskOf(`${head}  combination: max\n${factors}`)({ args: { a: 7, b: 1 } });
    expect(r.score).toBe(70);
    expect(r.factors.map((f) => f.contribution)).toEqual([70, 0]);
  });

  it("expression over factors.<id> (raw) and normalized.<id>", () => {
    const r = riskOf(
      `${head}  combination: { expression: 'factors.a >= 9 ? 100 : normalized.a * 50 + normalized.b * 50' }\n${factors}`,
    );
    expect(r({ args: { a: 9, b: 0 } }).score).toBe(100);
    expect(r({ args: { a: 2, b: 5 } }).score).toBe(60);
  });

  it("a failing custom combination fails closed (score 100) and says why", () => {
    const r = riskOf(
      `${head}  combination: { expression: '100 / (factors.b - factors.b) * 0 + factors.a' }\n${factors}`,
    );
    const out = r({ args: { a: 1, b: 1 } });
    // division by zero gives a non-finite number in JS: not a score
    expect(out.score).toBe(100);
    expect(out.error).toMatch(/combination/);
  });
});

describe("generated code", () => {
  const text = `${head}  factors:
    - id: action_type
      max: 10
      lookup: { expression: 'action.name', match: glob, table: { "a\`\${x}*/\u2028'\\"": 7, "__proto__": 3 } }
    - id: t
      max: 10
      expression: '1'
      adjustments: [{ when: 'action.name == "*/ \`\${1}"', add: 1 }]
`;
  it("is deterministic", () => {
    expect(compileYaml(text).code).toBe(compileYaml(text).code);
    expect(compileYaml(text).hoisted).toEqual(compileYaml(text).hoisted);
  });

  it("keeps hostile table keys and strings as data", () => {
    const r = riskOf(text);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the point is a literal `${`
    expect(r({ action: { name: "a`${x}*/\u2028'\"" } }).factors[0]!.raw).toBe(7);
    expect(r({ action: { name: "__proto__" } }).factors[0]!.raw).toBe(3);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the point is a literal `${`
    expect(r({ action: { name: "*/ `${1}" } }).factors[1]!.raw).toBe(2);
  });

  it("never throws on odd inputs", () => {
    const r = riskOf(`${head}  factors:
    - { id: a, max: 10, expression: 'args.x.y.z + 1' }
    - { id: b, max: 10, lookup: { expression: 'sensitivity(args)', table: { secret: 10 } } }
`);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    for (const args of [undefined, null, 1, "s", [], cyc]) {
      const out = r({ args });
      expect(out.level).toMatch(/low|medium|high|critical/);
    }
  });
});

describe("absent optional objects", () => {
  it("read as {} when absent, whatever else the input holds; present roots read as given", () => {
    const r = riskOf(
      `${head}  factors:\n    - { id: env, weight: 1, max: 10, lookup: { expression: 'has(resource.env) ? resource.env : "none"', table: { none: 2, prod: 10 }, default: 5 } }\n    - { id: who, weight: 1, max: 10, expression: 'has(agent.trust_level) ? agent.trust_level : 7' }\n`,
    );
    const raws = (input: Record<string, unknown>) => r(input).factors.map((f) => f.raw);
    expect(raws({ agent: { trust_level: 3 }, extra: { big: "x".repeat(10) } })).toEqual([2, 3]);
    expect(raws({ agent: { trust_level: 3 }, resource: { env: "prod" } })).toEqual([10, 3]);
    // an inherited `agent` is not the input's own: the factor fails toward risk (its max)
    const inherited = Object.assign(Object.create({ agent: { trust_level: 1 } }), { args: {} });
    expect(r(inherited).factors[1]).toMatchObject({ raw: 10 });
    expect(r(inherited).factors[1]!.error).toMatch(/agent/);
  });
});

describe("glob rows", () => {
  it("property: the fast glob shapes match exactly what the glob regex matches", async () => {
    const fc = (await import("fast-check")).default;
    const { globMatches } = await import("../glob.js");
    const { globRow, RISK_HELPERS } = await import("./generate.js");
    const run = (glob: string, name: string): boolean =>
      new Function(
        `${RISK_HELPERS}\nreturn $rk_find(${JSON.stringify(name)}, 1, [[${globRow(glob)}, 1]], new Map()) === 1;`,
      )();
    fc.assert(
      fc.property(
        fc.stringMatching(/^[ab.*?]{0,6}$/),
        fc.stringMatching(/^[ab.]{0,6}$/),
        (glob, name) => {
          expect(run(glob, name)).toBe(globMatches(glob, name));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("budget", () => {
  it("scores huge and deep arguments within the detector budget, quickly", () => {
    const r = riskOf(`${head}  factors:
    - { id: data, max: 10, lookup: { expression: 'sensitivity(args)', table: { pii: 6, secret: 10 } } }
`);
    const wide = { rows: Array.from({ length: 200_000 }, (_, i) => ({ id: i, note: "ok" })) };
    let deep: Record<string, unknown> = { leaf: "jane@example.com" };
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const late = { rows: [...wide.rows, { key: "AKIAIOSFODNN7EXAMPLE" }] };
    const t0 = performance.now();
    expect(r({ args: wide }).factors[0]!.raw).toBe(0);
    // the e-mail sits below the depth budget and the key after the node budget: not seen
    expect(r({ args: deep }).factors[0]!.raw).toBe(0);
    expect(r({ args: late }).factors[0]!.raw).toBe(0);
    expect(r({ args: { first: "AKIAIOSFODNN7EXAMPLE", ...wide } }).factors[0]!.raw).toBe(10);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});

describe("levels cover 0–100 without gaps", () => {
  it("property: every score has exactly the level of the first band whose max ≥ score", async () => {
    const fc = (await import("fast-check")).default;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 9999 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: 5, maxLength: 5 }),
        (cuts, scores) => {
          const [a, b, c] = [...cuts].sort((x, y) => x - y).map((v) => v / 100);
          const risk = identity(
            `  levels:\n    low: { max: ${a} }\n    medium: { max: ${b} }\n    high: { max: ${c} }\n`,
          );
          for (const raw of scores) {
            const s = raw / 100;
            const expected = s <= a! ? "low" : s <= b! ? "medium" : s <= c! ? "high" : "critical";
            expect(risk({ args: { s } })).toMatchObject({ score: s, level: expected });
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
