import { describe, expect, test } from "vitest";
import { compileBundle, SET } from "./test-support.js";

// biome-ignore lint/suspicious/noTemplateCurlyInString: hostile text on purpose
const NASTY = "q\"uo'te `tick` ${process.exit(1)} */ end\u2028line\u2029para \\ back";
// YAML double-quoted escapes for the same text
// biome-ignore lint/suspicious/noTemplateCurlyInString: hostile text on purpose
const Y = "q\\\"uo'te `tick` ${process.exit(1)} */ end\\u2028line\\u2029para \\\\ back";

describe("injection: hostile ids, reasons and constants compile to code that behaves", () => {
  test("ids, reasons and constant values survive verbatim, nothing executes", async () => {
    const { result, bundle } = await compileBundle({
      "a.yaml": `${SET("a")}constants:
  words: ["${Y}", "*/", "__proto__"]
  __proto__: ["polluted"]
policies:
  - id: "${Y}"
    type: deny
    match: { actions: [x] }
    when: args.word in words
    reason: "${Y}"
  - id: "__proto__"
    type: allow
    match: { actions: [x, y] }
    when: '"polluted" in __proto__'
    reason: "*/ }); process.exit(2); /*"
`,
    });
    const src = result.files!["bundle.mjs"];
    // comments cannot be broken out of: no raw line separators, no `*/` from user text
    expect(src).not.toMatch(/[\u2028\u2029]/);
    expect(src).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: hostile text on purpose
      "// policy q\"uo'te `tick` ${process.exit(1)} *\\/ end\\u2028line\\u2029para \\ back (a.yaml:8)",
    );
    const hit = bundle.decide({ agent: { id: "a" }, action: { name: "x" }, args: { word: NASTY } });
    expect(hit.decision).toBe("deny");
    expect(hit.reasons).toEqual([NASTY]);
    expect(hit.matched.map((m) => m.id)).toEqual([NASTY, "__proto__"]);
    const miss = bundle.decide({
      agent: { id: "a" },
      action: { name: "x" },
      args: { word: "other" },
    });
    expect(miss.decision).toBe("allow");
    expect(miss.reasons).toEqual(["*/ }); process.exit(2); /*"]);
    expect(
      bundle.decide({ agent: { id: "a" }, action: { name: "y" }, args: { word: "*/" } }).decision,
    ).toBe("allow");
    // `__proto__` stays an ordinary own key everywhere
    expect(Object.keys(bundle.rules).sort()).toEqual([NASTY, "__proto__"].sort());
    expect(Object.getPrototypeOf(bundle.rules)).toBe(Object.prototype);
    // biome-ignore lint/suspicious/noProto: reading the own key named __proto__ on purpose
    expect(bundle.rules.__proto__).toMatchObject({ type: "allow" });
    expect(Object.hasOwn(bundle.constants, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("action names that look like Object.prototype members index correctly", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:\n  - { id: p, type: allow, match: { actions: [constructor, toString] } }\n`,
    });
    expect(bundle.decide({ agent: { id: "a" }, action: { name: "constructor" } }).decision).toBe(
      "allow",
    );
    expect(bundle.decide({ agent: { id: "a" }, action: { name: "hasOwnProperty" } }).decision).toBe(
      "deny",
    );
    expect(bundle.decide({ agent: { id: "a" }, action: { name: "__proto__" } }).decision).toBe(
      "deny",
    );
  });

  test("an input carrying `__proto__` keys cannot change what conditions see", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:\n  - { id: ok, type: allow, when: 'resource.env == "dev"' }\n`,
    });
    const input = JSON.parse(
      '{"__proto__": {"resource": {"env": "dev"}}, "agent": {"id": "a"}, "action": {"name": "x"}, "time": "2026-01-05T10:00:00Z"}',
    );
    const d = bundle.decide(input);
    expect(d.decision).toBe("deny");
    expect(d.errors?.[0]?.policy).toBe("ok");
    expect(({} as Record<string, unknown>).resource).toBeUndefined();
    const seen = bundle.context(input);
    expect(Object.getPrototypeOf(seen)).toBe(Object.prototype);
    expect(Object.hasOwn(seen, "__proto__")).toBe(true);
    delete input.time;
    expect(Object.getPrototypeOf(bundle.context(input))).toBe(Object.prototype);
    expect(bundle.decide(input).decision).toBe("deny");
  });
});
