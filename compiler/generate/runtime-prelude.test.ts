import { describe, expect, test } from "vitest";
import { compileBundle, SET } from "../test-support.js";

// The decision runtime reads the input directly unless a condition reads `risk`, and reads the
// match facts (agent id, roles, workflow, phase) once per decision: these tests pin the behaviour
// both fast paths must keep.
describe("decision runtime fast paths", () => {
  test("without a `risk` condition, an input key `risk` is ignored and the input is left as is", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:
  - { id: small, type: allow, when: "args.amount < 10" }
`,
    });
    expect(bundle.metadata).toBeDefined();
    const input = {
      agent: { id: "a" },
      action: { name: "pay" },
      args: { amount: 5 },
      risk: { score: 99 },
      time: "2026-01-05T10:00:00Z",
    };
    const copy = structuredClone(input);
    const d = bundle.decide(input);
    expect(d).toMatchObject({ decision: "allow", risk: { score: 0, level: "low" } });
    expect(input).toEqual(copy);
    expect(bundle.decide({ ...input, args: { amount: 50 } }).decision).toBe("deny");
  });

  test("a `risk` condition sees the computed risk, never an input key `risk`", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:
  - { id: calm, type: allow, when: "risk.score < 50" }
`,
    });
    const d = bundle.decide({ agent: { id: "a" }, action: { name: "x" }, risk: { score: 99 } });
    expect(d.decision).toBe("allow");
    expect(d.matched.map((m) => m.id)).toEqual(["calm"]);
  });

  test("agents, roles, workflows and phase are matched per decision, not carried over", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:
  - { id: ops, type: allow, match: { roles: [ops], workflows: ["release-*"] } }
  - { id: bot, type: deny, match: { agents: [bot] } }
  - { id: post, type: audit, match: { phase: list } }
`,
    });
    const ok = bundle.decide({
      agent: { id: "a", roles: ["ops"] },
      workflow: { id: "release-7" },
      action: { name: "x" },
    });
    expect(ok.decision).toBe("allow");
    expect(ok.obligations).toEqual([]);
    // the same shape right after, with each fact changed in turn
    const noRole = bundle.decide({
      agent: { id: "a", roles: ["dev"] },
      workflow: { id: "release-7" },
      action: { name: "x" },
    });
    expect(noRole.decision).toBe("deny");
    const noWorkflow = bundle.decide({ agent: { id: "a", roles: ["ops"] }, action: { name: "x" } });
    expect(noWorkflow.decision).toBe("deny");
    const bot = bundle.decide({
      agent: { id: "bot", roles: ["ops"] },
      workflow: { id: "release-7" },
      action: { name: "x" },
    });
    expect(bot.matched.map((m) => m.id)).toEqual(["ops", "bot"]);
    expect(bot.decision).toBe("deny");
    const listing = bundle.decide({
      agent: { id: "a", roles: ["ops"] },
      workflow: { id: "release-7" },
      action: { name: "x", phase: "list" },
    });
    expect(listing.matched.map((m) => m.id)).toEqual(["post"]);
  });

  test("lists a decision does not fill are fresh empty arrays and `errors` is absent", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:\n  - { id: ok, type: allow }\n`,
    });
    const a = bundle.decide({ agent: { id: "a" }, action: { name: "x" } });
    const b = bundle.decide({ agent: { id: "a" }, action: { name: "x" } });
    expect(a.matched).not.toBe(b.matched);
    expect(a.obligations).not.toBe(b.obligations);
    a.obligations.push({ type: "audit", policy: "t" });
    expect(b.obligations).toEqual([]);
    expect("errors" in a).toBe(false);
    expect(a.reasons).toEqual(["allowed by policy `ok`"]);
  });
});
