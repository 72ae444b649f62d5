import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Obligation } from "../decision/types.js";
import { REDACTED, redact, redactWithReport } from "./redact.js";
import { parsePath } from "./redact-path.js";

const rule = (o: {
  paths?: string[];
  detectors?: string[];
  in?: ("args" | "result")[];
}): Obligation => ({
  type: "redact",
  policy: "mask-pii",
  ...o,
});

describe("redact paths", () => {
  const args = {
    password: "hunter2",
    card: { number: "4111 1111 1111 1111", holder: "Ada" },
    items: [{ email: "a@x.io", qty: 1 }, { email: "b@x.io", qty: 2 }, { qty: 3 }],
    nested: { a: { token: "t1" }, b: { token: "t2" } },
  };

  it("masks nested paths, array wildcards, indexes and key wildcards in a deep copy", () => {
    const obligations = [
      rule({
        paths: [
          "args.password",
          "args.card.number",
          "args.items[*].email",
          "nested.*.token",
          "args.items[2].qty",
        ],
      }),
    ];
    const { value, redactions } = redactWithReport(args, obligations, "args");
    expect(value).toEqual({
      password: REDACTED,
      card: { number: REDACTED, holder: "Ada" },
      items: [{ email: REDACTED, qty: 1 }, { email: REDACTED, qty: 2 }, { qty: REDACTED }],
      nested: { a: { token: REDACTED }, b: { token: REDACTED } },
    });
    expect(redactions.map((r) => r.path)).toEqual([
      "args.password",
      "args.card.number",
      "args.items[0].email",
      "args.items[1].email",
      "args.nested.a.token",
      "args.nested.b.token",
      "args.items[2].qty",
    ]);
    expect(args.password).toBe("hunter2"); // the input is untouched
    expect(args.items[0]!.email).toBe("a@x.io");
  });

  it("applies only obligations and paths for the requested side", () => {
    const obligations = [
      rule({ paths: ["result.ssn", "args.password"] }),
      rule({ paths: ["password"], in: ["result"] }),
    ];
    expect(redact({ password: "p", ssn: "s" }, obligations, "args")).toEqual({
      password: REDACTED,
      ssn: "s",
    });
    expect(redact({ password: "p", ssn: "s" }, obligations, "result")).toEqual({
      password: REDACTED,
      ssn: REDACTED,
    });
    expect(redact({ password: "p" }, [{ type: "audit", policy: "a" }], "args")).toEqual({
      password: "p",
    });
  });

  it("masks the whole value for the bare root path, and fails closed on a malformed path", () => {
    expect(redact({ a: 1 }, [rule({ paths: ["result"] })], "result")).toBe(REDACTED);
    expect(redact({ a: 1 }, [rule({ paths: ["args.a[x]"] })], "args")).toBe(REDACTED);
  });

  it("parses path syntax", () => {
    expect(parsePath("args.items[*].email")).toEqual({
      root: "args",
      segments: [{ key: "items" }, { any: true }, { key: "email" }],
    });
    expect(parsePath("rows[0][1]")).toEqual({
      root: undefined,
      segments: [{ key: "rows" }, { index: 0 }, { index: 1 }],
    });
    expect(parsePath("a..b")).toBeUndefined();
    expect(parsePath("")).toBeUndefined();
  });
});

describe("redact detectors (grammar/builtins/detectors.ts)", () => {
  it("masks what the builtin detectors find inside strings, at any depth", () => {
    const value = {
      note: "contact ada@example.com or +33 6 12 34 56 78",
      pay: { card: "card 4111 1111 1111 1111 exp 12/29", not_a_card: "order 1234 5678 9012 3456" },
      list: ["iban FR76 3000 6000 0112 3456 7890 189", "ssn 536-22-1234"],
      key: "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----",
      count: 4,
    };
    const out = redact(
      value,
      [rule({ detectors: ["email", "phone", "credit_card", "iban", "ssn", "private_key"] })],
      "result",
    );
    expect(out).toEqual({
      note: "contact [REDACTED:email] or [REDACTED:phone]",
      pay: {
        card: "card [REDACTED:credit_card] exp 12/29",
        not_a_card: "order 1234 5678 9012 3456",
      },
      list: ["iban [REDACTED:iban]", "ssn [REDACTED:us_ssn]"],
      key: "[REDACTED:private_key]",
      count: 4,
    });
  });

  it("masks a field whose name is itself a credential", () => {
    expect(
      redact(
        { auth: { password: "pw-123456", user: "ada" } },
        [rule({ detectors: ["credential"] })],
        "args",
      ),
    ).toEqual({
      auth: { password: "[REDACTED:credential]", user: "ada" },
    });
  });

  it("fails closed on an unknown detector: every string is masked", () => {
    const { value, redactions } = redactWithReport(
      { a: "x", b: [1, "y"] },
      [rule({ detectors: ["no_such_detector"] })],
      "args",
    );
    expect(value).toEqual({ a: REDACTED, b: [1, REDACTED] });
    expect(redactions[0]).toEqual({ path: "args.a", by: "unknown-detector", policy: "mask-pii" });
  });

  it("stays within the depth and size budget and masks what it could not scan", () => {
    let deep: unknown = "ada@example.com";
    for (let i = 0; i < 100; i++) deep = { d: deep };
    const out = JSON.stringify(
      redact(deep, [rule({ detectors: ["email"] })], "args", { maxDepth: 10 }),
    );
    expect(out).toContain("[REDACTED:budget]");
    expect(out).not.toContain("ada@example.com");
    const wide = Array.from({ length: 50 }, () => "ada@example.com");
    const masked = redact(wide, [rule({ detectors: ["email"] })], "args", {
      maxNodes: 10,
    }) as string[];
    expect(masked.slice(0, 9).every((s) => s === "[REDACTED:email]")).toBe(true);
    expect(masked.slice(9).every((s) => s === "[REDACTED:budget]")).toBe(true);
  });

  it("uses an injected detector map", () => {
    const detectors = {
      employee_id: {
        find: (s: string) =>
          [...s.matchAll(/EMP-\d{6}/g)].map((m) => ({
            start: m.index,
            end: m.index + m[0].length,
          })),
      },
    };
    expect(
      redact({ n: "EMP-123456 and EMP-654321" }, [rule({ detectors: ["employee_id"] })], "args", {
        detectors,
      }),
    ).toEqual({
      n: "[REDACTED:employee_id] and [REDACTED:employee_id]",
    });
  });

  it("property: an email anywhere in a JSON value never survives redaction", () => {
    const email = fc
      .emailAddress()
      .filter((e) => /^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i.test(e));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.integer(),
        email.map((e) => `mail ${e} now`),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 5 }), tie("value"), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, email, (v, e) => {
        const out = JSON.stringify(
          redact({ v, e: `x ${e} y` }, [rule({ detectors: ["email"] })], "args"),
        );
        return !out.includes(e);
      }),
      { numRuns: 200 },
    );
  });
});
