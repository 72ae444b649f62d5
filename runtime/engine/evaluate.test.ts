import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoTime } from "./evaluate.js";

/** The uncached computation: the zone's wall clock from Intl for this very instant. */
function reference(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  const offsetMin = Math.round((wall - (ms - (ms % 1000))) / 60_000);
  const abs = Math.abs(offsetMin);
  const pad = (n: number) => String(n).padStart(2, "0");
  const local = new Date(wall + (((ms % 1000) + 1000) % 1000)).toISOString().slice(0, 23);
  return `${local}${offsetMin < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const ZONES = [
  "Europe/Paris",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "America/St_Johns",
];

describe("isoTime", () => {
  it("formats UTC with toISOString and named zones with their offset", () => {
    expect(isoTime(Date.UTC(2025, 0, 6, 9, 0, 0, 5))).toBe("2025-01-06T09:00:00.005Z");
    expect(isoTime(Date.UTC(2025, 0, 6, 9, 0, 0, 5), "Europe/Paris")).toBe(
      "2025-01-06T10:00:00.005+01:00",
    );
    expect(isoTime(Date.UTC(2025, 6, 6, 9, 0, 0), "Europe/Paris")).toBe(
      "2025-07-06T11:00:00.000+02:00",
    );
    expect(isoTime(Date.UTC(2025, 0, 6, 9, 0, 0), "Asia/Kolkata")).toBe(
      "2025-01-06T14:30:00.000+05:30",
    );
  });

  it("reuses the UTC string only for the very same millisecond", () => {
    const t = Date.UTC(2025, 4, 1, 12, 0, 0, 1);
    expect(isoTime(t)).toBe("2025-05-01T12:00:00.001Z");
    expect(isoTime(t)).toBe("2025-05-01T12:00:00.001Z");
    expect(isoTime(t + 1)).toBe("2025-05-01T12:00:00.002Z");
    expect(isoTime(t - 1000)).toBe("2025-05-01T11:59:59.001Z");
  });

  it("stays exact across a DST change when instants within one second reuse the offset", () => {
    // Europe/Paris switches to summer time at 2025-03-30T01:00:00Z; walk across it in 250 ms steps
    const start = Date.UTC(2025, 2, 30, 0, 59, 58);
    for (let ms = start; ms < start + 4000; ms += 250) {
      expect(isoTime(ms, "Europe/Paris")).toBe(reference(ms, "Europe/Paris"));
    }
    expect(isoTime(Date.UTC(2025, 2, 30, 0, 59, 59, 999), "Europe/Paris")).toBe(
      "2025-03-30T01:59:59.999+01:00",
    );
    expect(isoTime(Date.UTC(2025, 2, 30, 1, 0, 0, 0), "Europe/Paris")).toBe(
      "2025-03-30T03:00:00.000+02:00",
    );
  });

  it("equals the uncached computation for any instant and zone, also right after a cached one", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom(...ZONES),
        (ms, jitter, zone) => {
          expect(isoTime(ms, zone)).toBe(reference(ms, zone));
          const sameSecond = ms - (ms % 1000) + jitter;
          expect(isoTime(sameSecond, zone)).toBe(reference(sameSecond, zone));
        },
      ),
      { numRuns: 300 },
    );
  });
});
