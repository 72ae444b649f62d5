import { describe, expect, it } from "vitest";
import { evaluateExpression } from "../evaluate.js";

const at = (expr: string, time: string) => evaluateExpression(expr, { time });

describe("time accessors", () => {
  it("follow daylight-saving transitions of the zone (Europe/Paris, 2026-03-29 01:00Z)", () => {
    expect(at('time.getHours("Europe/Paris")', "2026-03-29T00:59:59Z")).toBe(1);
    expect(at('time.getHours("Europe/Paris")', "2026-03-29T01:00:00Z")).toBe(3);
    expect(at('time.getHours("Europe/Paris")', "2026-10-25T00:59:59Z")).toBe(2);
    expect(at('time.getHours("Europe/Paris")', "2026-10-25T01:00:00Z")).toBe(2);
    expect(at('time.getHours("Europe/Paris")', "2026-10-25T02:00:00Z")).toBe(3);
  });

  it("handle quarter-hour offsets and date changes", () => {
    expect(at('time.getMinutes("Asia/Kathmandu")', "2026-01-01T00:00:00Z")).toBe(45);
    expect(at('time.getHours("Asia/Kathmandu")', "2026-01-01T00:00:00Z")).toBe(5);
    const expr =
      '[time.getFullYear("Pacific/Auckland"), time.getMonth("Pacific/Auckland"), time.getDate("Pacific/Auckland"), time.getDayOfWeek("Pacific/Auckland")]';
    // 2026-12-31T12:00Z is 2027-01-01 01:00 in Auckland (UTC+13 in summer), a Friday.
    expect(at(expr, "2026-12-31T12:00:00Z")).toEqual([2027, 0, 1, 5]);
    expect(
      at(
        "[time.getFullYear(), time.getMonth(), time.getDate(), time.getDayOfWeek()]",
        "2026-12-31T12:00:00Z",
      ),
    ).toEqual([2026, 11, 31, 4]);
  });

  it("agree with Intl for every hour of a year in a few zones", () => {
    const zones = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"];
    for (const tz of zones) {
      const f = new Intl.DateTimeFormat("en-US", {
        timeZone: tz,
        hourCycle: "h23",
        hour: "numeric",
        minute: "numeric",
      });
      for (let h = 0; h < 365 * 24; h += 7) {
        const ms = Date.UTC(2026, 0, 1) + h * 3_600_000 + 17 * 60_000;
        const iso = new Date(ms).toISOString();
        const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
        expect(
          at(`[time.getHours(${JSON.stringify(tz)}), time.getMinutes(${JSON.stringify(tz)})]`, iso),
          `${tz} ${iso}`,
        ).toEqual([Number(parts.hour), Number(parts.minute)]);
      }
    }
  });

  it("reject unknown zones given at run time", () => {
    expect(() =>
      evaluateExpression("time.getHours(args.tz)", {
        time: "2026-01-01T00:00:00Z",
        args: { tz: "Nowhere/City" },
      }),
    ).toThrow(/R0005.*unknown time zone `Nowhere\/City`/);
  });
});
