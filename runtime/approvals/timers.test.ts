import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.js";
import { FakeScheduler, systemScheduler } from "./timers.js";

describe("FakeScheduler", () => {
  it("runs due tasks in time order, including tasks scheduled while advancing", async () => {
    const clock = new ManualClock(0);
    const timers = new FakeScheduler(clock);
    const ran: string[] = [];
    timers.schedule(300, () => ran.push(`c@${clock.now()}`));
    timers.schedule(100, () => {
      ran.push(`a@${clock.now()}`);
      timers.schedule(150, () => ran.push(`b@${clock.now()}`));
    });
    const gone = timers.schedule(200, () => ran.push("cancelled"));
    gone.cancel();
    await timers.advance(250);
    expect(ran).toEqual(["a@100", "b@150"]);
    expect(clock.now()).toBe(250);
    expect(timers.size).toBe(1);
    await timers.advance(50);
    expect(ran).toEqual(["a@100", "b@150", "c@300"]);
  });
});

describe("systemScheduler", () => {
  it("fires at the absolute time and can be cancelled", async () => {
    const start = Date.now();
    const timers = systemScheduler();
    const fired = await new Promise<number>((resolve) => {
      timers.schedule(start + 20, () => resolve(Date.now()));
      timers.schedule(start + 5, () => resolve(-1)).cancel();
    });
    expect(fired).toBeGreaterThanOrEqual(start + 20);
  });
});
