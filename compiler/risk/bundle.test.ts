import { describe, expect, it } from "vitest";
import { compileBundle, SET } from "../test-support.js";

const MODEL = `apiVersion: paracle.dev/v1
kind: RiskModel
metadata: { name: m }
spec:
  factors:
    - id: data
      max: 10
      lookup: { expression: 'sensitivity(args)', table: { confidential: 6, secret: 10 } }
    - id: scope
      max: 10
      lookup: { expression: 'has(resource.env) ? resource.env : "none"', table: { production: 10, none: 1 } }
  levels:
    high: { action: deny }
  detectors:
    - { id: employee_id, pattern: 'EMP-[0-9]{6}', sensitivity: confidential }
`;

describe("a risk model inside a compiled bundle", () => {
  it("custom detectors also serve sensitivity(), pii() and detect() in policy conditions", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:
  - { id: ok, type: allow }
  - { id: tag, type: audit, when: 'sensitivity(args) == "confidential" && "employee_id" in detect(args)' }
  - { id: no-pii, type: deny, when: 'pii(args)' }
`,
      "risk.yaml": MODEL,
    });
    const emp = bundle.decide({
      agent: { id: "a" },
      action: { name: "hr.get" },
      args: { q: "EMP-123456" },
    });
    expect(emp.decision).toBe("allow");
    expect(emp.matched.map((m) => m.id)).toEqual(["ok", "tag"]);
    expect(emp.risk.factors[0]).toMatchObject({ id: "data", raw: 6 });
    const mail = bundle.decide({
      agent: { id: "a" },
      action: { name: "hr.get" },
      args: { q: "jane@example.com" },
    });
    expect(mail.decision).toBe("deny");
  });

  it("absent optional objects read as empty in the model (no error), and the level action applies", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:\n  - { id: ok, type: allow }\n`,
      "risk.yaml": MODEL,
    });
    const bare = bundle.decide({ agent: { id: "a" }, action: { name: "x" } });
    expect(bare.risk.factors.map((f) => [f.id, f.raw, f.error])).toEqual([
      ["data", 0, undefined],
      ["scope", 1, undefined],
    ]);
    expect(bare).toMatchObject({ decision: "allow", risk: { score: 5, level: "low" } });
    // secret data on production: (1 + 1) / 2 = 100 ⇒ critical (default action: approval)
    const hot = bundle.decide({
      agent: { id: "a" },
      action: { name: "x" },
      args: { k: "AKIAIOSFODNN7EXAMPLE" },
      resource: { env: "production" },
    });
    expect(hot).toMatchObject({
      decision: "require_approval",
      risk: { score: 100, level: "critical" },
    });
    // confidential on production: (0.6 + 1) / 2 = 80 ⇒ high, whose action here is deny
    const high = bundle.decide({
      agent: { id: "a" },
      action: { name: "x" },
      args: { k: "EMP-123456" },
      resource: { env: "production" },
    });
    expect(high).toMatchObject({ decision: "deny", risk: { score: 80, level: "high" } });
  });
});
