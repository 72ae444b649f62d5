import { describe, expect, it } from "vitest";
import { POLICY_TYPES, PolicyAction, PolicyType } from "./policy.js";

describe("public policy names", () => {
  it("PolicyType lists every type the compiler accepts, and nothing else", () => {
    expect(Object.values(PolicyType).sort()).toEqual([...POLICY_TYPES].sort());
  });
  it("PolicyAction names the three effects of a decision", () => {
    expect(Object.values(PolicyAction)).toEqual(["allow", "deny", "require_approval"]);
  });
});
