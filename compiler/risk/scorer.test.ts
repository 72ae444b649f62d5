import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RiskLevel, RiskModelError, RiskScorer } from "./scorer.js";

const pack = readFileSync(new URL("../../policies/risk.yaml", import.meta.url), "utf8");

describe("RiskScorer", () => {
  it("scores inputs with the pack's model; time defaults to the injected clock", () => {
    const night = Date.parse("2025-03-04T01:00:00Z");
    const day = Date.parse("2025-03-04T10:00:00Z");
    let now = day;
    const scorer = RiskScorer.fromYaml(pack, { now: () => now });
    const input = {
      agent: { id: "a", roles: ["ops"], trust_level: 4 },
      action: { name: "files.read" },
    };
    const atDay = scorer.score(input);
    now = night;
    const atNight = scorer.score(input);
    expect(atDay.factors.find((f) => f.id === "time_of_day")!.raw).toBe(0);
    expect(atNight.factors.find((f) => f.id === "time_of_day")!.raw).toBe(8);
    expect(atNight.score).toBeGreaterThan(atDay.score);
    expect(atDay.level).toBe(RiskLevel.LOW);
    expect(Object.values(RiskLevel)).toEqual(["low", "medium", "high", "critical"]);
  });

  it("reports every problem of a model with its position", () => {
    const bad = pack.replace(
      "weight: 3\n      max: 10\n      on_error: 0",
      "weight: -3\n      max: 10\n      on_error: 0",
    );
    let err: unknown;
    try {
      RiskScorer.fromYaml(bad, { file: "risk.yaml" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RiskModelError);
    const d = (err as RiskModelError).diagnostics;
    expect(d.map((x) => [x.code, x.span.file, x.span.line])).toEqual([
      ["risk-not-positive", "risk.yaml", 19],
    ]);
    expect((err as Error).message).toContain("risk.yaml:19:15: error[risk-not-positive]");
  });

  it("refuses a text without a RiskModel", () => {
    expect(() => RiskScorer.fromYaml("apiVersion: paracle.dev/v1\nkind: PolicySet\n")).toThrow(
      /no `kind: RiskModel`/,
    );
  });
});
