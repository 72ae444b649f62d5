import { describe, expect, it } from "vitest";
import { assertTransition, canTransition, FINAL_STATES, OPEN_STATES } from "./state.js";
import type { ApprovalState } from "./types.js";

const ALL: ApprovalState[] = [
  "pending",
  "escalated",
  "approved",
  "rejected",
  "expired",
  "cancelled",
];

describe("state machine", () => {
  it("allows exactly the listed moves", () => {
    const allowed = ALL.flatMap((from) =>
      ALL.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`),
    );
    expect(allowed).toEqual([
      "pending>escalated",
      "pending>approved",
      "pending>rejected",
      "pending>expired",
      "pending>cancelled",
      "escalated>approved",
      "escalated>rejected",
      "escalated>expired",
      "escalated>cancelled",
    ]);
  });

  it("final states never move again, with a clear error", () => {
    for (const from of FINAL_STATES) {
      for (const to of ALL) {
        expect(() => assertTransition("r1", from, to)).toThrow(
          `approval request \`r1\` is already ${from}`,
        );
      }
    }
    expect(() => assertTransition("r1", "escalated", "escalated")).toThrow(
      "approval request `r1` is escalated and cannot become escalated",
    );
    expect(() => assertTransition("r1", "pending", "pending")).toThrow();
    expect(OPEN_STATES).toEqual(["pending", "escalated"]);
  });
});
