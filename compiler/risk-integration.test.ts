import { describe, expect, test } from "vitest";
import { compileBundle, SET } from "./test-support.js";

const MODEL = `apiVersion: paracle.dev/v1
kind: RiskModel
metadata: { name: trust-model }
spec:
  factors:
    - { id: distrust, weight: 1, max: 10, expression: "10 - agent.trust_level" }
`;

describe("risk model in the bundle", () => {
  test("risk is computed before rules, usable in conditions and max_risk, and its level action applies", async () => {
    const { bundle, result } = await compileBundle({
      "a.yaml": `${SET("a")}policies:
  - { id: ok, type: allow }
  - { id: big, type: audit, when: "risk.score >= 50 && risk.factors.distrust > 4" }
  - { id: gate, type: max_risk, match: { actions: [db.drop] }, max_risk: { score: 20 } }
`,
      "risk.yaml": MODEL,
    });
    expect(result.manifest?.risk_model).toBe("trust-model");
    const trusted = bundle.decide({ agent: { id: "a", trust_level: 10 }, action: { name: "x" } });
    expect(trusted).toMatchObject({ decision: "allow", risk: { score: 0, level: "low" } });
    expect(trusted.risk.factors[0]).toMatchObject({ id: "distrust", raw: 0 });
    const shaky = bundle.decide({ agent: { id: "a", trust_level: 0 }, action: { name: "x" } });
    expect(shaky.risk).toMatchObject({ score: 100, level: "critical" });
    expect(shaky.decision).toBe("require_approval"); // the default critical action
    expect(shaky.approval?.policy).toBe("risk");
    expect(shaky.matched.map((m) => m.id)).toEqual(["ok", "big"]);
    const gated = bundle.decide({
      agent: { id: "a", trust_level: 7 },
      action: { name: "db.drop" },
    });
    expect(gated).toMatchObject({
      decision: "deny",
      reasons: ["risk score above 20 (policy `gate`)"],
    });
  });

  test("risk model errors are reported at their YAML position", async () => {
    await expect(
      compileBundle({
        "a.yaml": `${SET("a")}policies:\n  - { id: ok, type: allow }\n`,
        "risk.yaml": MODEL.replace("10 - agent.trust_level", "10 - agent.trust_level.nope"),
      }),
    ).rejects.toThrow(/risk\.yaml:6:\d+: error/);
  });
});
