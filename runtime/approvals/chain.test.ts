import { describe, expect, it } from "vitest";
import { resolveChain } from "./chain.js";
import { decisionFor } from "./test-helpers/fixtures.js";

describe("resolveChain", () => {
  const templates = {
    base: {
      levels: [{ roles: ["lead"] }],
      timeout_ms: 1000,
      reminders_ms: [500],
      require_reason_on_reject: true,
    },
  };

  it("a named template supplies defaults the policy overrides", () => {
    const c = resolveChain(
      decisionFor({ template: "base", levels: [{ roles: ["ops"] }], timeout_ms: 2000 }),
      templates,
    );
    expect(c).toMatchObject({
      levels: [{ roles: ["ops"], required: 1 }],
      timeout_ms: 2000,
      reminders_ms: [500],
      require_reason_on_reject: true,
      template: "base",
    });
  });

  it("a decision without approval settings gets the default chain", () => {
    const d = decisionFor();
    delete d.approval;
    expect(resolveChain(d, {})).toMatchObject({
      levels: [{ roles: ["approver"], required: 1 }],
      timeout_ms: 3_600_000,
      on_timeout: "reject",
      mode: "hold",
      policy: "approve-deletes",
    });
  });

  it("rejects impossible levels with the level number", () => {
    expect(() =>
      resolveChain(decisionFor({ levels: [{ roles: ["a"] }, { roles: [] }] }), {}),
    ).toThrow(
      "level 2 of the approval required by policy `approve-deletes` names no roles and no users",
    );
    expect(() =>
      resolveChain(decisionFor({ levels: [{ roles: ["a"], required: 3, of: 2 }] }), {}),
    ).toThrow("needs 3 approvals out of only 2");
    expect(() =>
      resolveChain(decisionFor({ levels: [{ roles: [], users: ["a"], required: 2 }] }), {}),
    ).toThrow("needs 2 approvals but names only 1 users");
    expect(() =>
      resolveChain(decisionFor({ levels: [{ roles: ["a"], required: 0 }] }), {}),
    ).toThrow("needs a positive whole number of approvals, not `0`");
  });
});
