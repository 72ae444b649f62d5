import { describe, expect, it } from "vitest";
import { ManualClock, systemClock } from "./clock.js";

describe("ManualClock", () => {
  it("moves only when told to", () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    clock.set(5_000);
    expect(clock.now()).toBe(5_000);
  });

  it("refuses to go back in time", () => {
    const clock = new ManualClock(1_000);
    expect(() => clock.advance(-1)).toThrow(/cannot advance/);
    expect(() => clock.set(999)).toThrow(/cannot move a clock back/);
  });

  it("systemClock follows Date.now", () => {
    const before = Date.now();
    const t = systemClock.now();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });
});
