import { describe, expect, it } from "vitest";
import { closest, editDistance } from "./fuzzy.js";

describe("closest", () => {
  it("suggests near names, case-only differences and prefixes", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(closest("nme", ["name", "kind", "phase"])).toBe("name");
    expect(closest("Agent", ["agent", "action"])).toBe("agent");
    expect(closest("trust", ["trust_level", "roles"])).toBe("trust_level");
  });

  it("stays silent when nothing is close", () => {
    expect(closest("zzz", ["agent", "action"])).toBeUndefined();
    expect(closest("x", ["id"])).toBeUndefined();
  });
});
