import { describe, expect, it } from "vitest";
import type { Decision } from "../../runtime/decision/types.js";
import { checkExpectation } from "./expect.js";

const decision = (over: Partial<Decision> = {}): Decision => ({
  decision: "require_approval",
  reasons: ["refunds above the threshold need finance approval"],
  matched: [
    { id: "allow-refunds", type: "allow", source: { file: "p.yaml", line: 3 } },
    { id: "approve-refunds", type: "require_approval", source: { file: "p.yaml", line: 9 } },
  ],
  obligations: [
    { type: "audit", policy: "audit-writes", tags: ["write", "payment"], keep_args: true },
    { type: "redact", policy: "redact-pii", detectors: ["credit_card", "iban"], in: ["args"] },
  ],
  risk: { score: 61, level: "high", factors: [] },
  approval: {
    policy: "approve-refunds",
    levels: [{ roles: ["finance"] }, { roles: ["cfo", "ceo"] }],
    template: "chain",
  },
  bundle: { hash: "" },
  ...over,
});

const messages = (e: Parameters<typeof checkExpectation>[0], d = decision()) =>
  checkExpectation(e, d).map((m) => `${m.field}: ${m.message}`);

describe("checkExpectation", () => {
  it("passes when everything asserted holds", () => {
    expect(
      messages({
        decision: "require_approval",
        matched: ["approve-refunds"],
        matched_exactly: ["approve-refunds", "allow-refunds"],
        not_matched: ["deny-all"],
        obligations: ["audit", { type: "audit", tags: ["payment"] }, { detectors: ["iban"] }],
        not_obligations: ["alert"],
        reasons_contain: ["finance"],
        risk: { level: "high", score: { min: 61, max: 61 } },
        approval: { levels: 2, roles: ["finance", "ceo"], template: "chain", required: true },
      }),
    ).toEqual([]);
  });

  it("explains each failed assertion", () => {
    expect(
      messages({
        decision: "allow",
        matched: ["deny-all", "allow-refunds"],
        matched_exactly: ["allow-refunds", "other"],
        not_matched: ["approve-refunds"],
        obligations: [
          "alert",
          { type: "audit", keep_args: false },
          { type: "redact", detectors: ["email"] },
        ],
        not_obligations: ["redact"],
        reasons_contain: ["manager"],
        risk: { level: "low", score: { max: 60 } },
        approval: { levels: 1, roles: ["security"], template: "other" },
      }),
    ).toEqual([
      "decision: expected `allow`, got `require_approval`",
      "matched: rules not matched: `deny-all`",
      "matched_exactly: missing `other`; unexpected `approve-refunds`",
      "not_matched: rules matched but should not: `approve-refunds`",
      "obligations: no obligation of type `alert`",
      'obligations: no obligation matches {"type":"audit","keep_args":false}',
      'obligations: no obligation matches {"type":"redact","detectors":["email"]}',
      "not_obligations: unexpected obligations: `redact`",
      "reasons_contain: no reason contains `manager`",
      "risk.level: expected `low`, got `high`",
      "risk.score: expected a score in [-∞, 60], got 61",
      "approval.levels: expected 1 approval level(s), got 2",
      "approval.roles: roles not in the approval chain: `security`",
      "approval.template: expected template `other`, got `chain`",
    ]);
  });

  it("checks the absence of an approval", () => {
    const none = decision({ decision: "allow", approval: undefined });
    expect(messages({ approval: { required: false } }, none)).toEqual([]);
    expect(messages({ approval: { required: false } })).toEqual([
      "approval.required: an approval is required",
    ]);
    expect(messages({ approval: { levels: 1 } }, none)).toEqual([
      "approval: the decision carries no approval requirement",
    ]);
  });

  it("fails on condition errors unless declared", () => {
    const erroring = decision({ errors: [{ policy: "p", message: "no such key `env`" }] });
    expect(messages({ decision: "require_approval" }, erroring)).toEqual([
      "errors: condition errors: p: no such key `env` (declare `expect.errors` if intended)",
    ]);
    expect(messages({ errors: ["no such key"] }, erroring)).toEqual([]);
    expect(messages({ errors: ["type error"] }, erroring)).toEqual([
      "errors: no condition error contains `type error`",
    ]);
    expect(messages({ errors: [] }, erroring)).toEqual([
      "errors: condition errors: p: no such key `env`",
    ]);
    expect(messages({ errors: [] })).toEqual([]);
  });

  it("checks the would-be decisions of dry-run policies", () => {
    const dry = decision({ dry_run: [{ policy: "block-net", decision: "deny" }] });
    expect(messages({ dry_run: ["block-net", { decision: "deny" }] }, dry)).toEqual([]);
    expect(messages({ dry_run: [{ policy: "block-net", decision: "allow" }] }, dry)).toEqual([
      'dry_run: no dry run matches {"policy":"block-net","decision":"allow"}',
    ]);
    expect(messages({ dry_run: [] }, dry)).toEqual(["dry_run: unexpected dry runs: `block-net`"]);
    expect(messages({ dry_run: [] })).toEqual([]);
  });

  it("treats a missing risk as a failure of risk assertions", () => {
    const noRisk = { ...decision(), risk: undefined } as unknown as Decision;
    expect(messages({ risk: { score: { min: 0 } } }, noRisk)).toEqual([
      "risk.score: expected a score in [0, +∞], got undefined",
    ]);
  });
});
