import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createDetectorSet,
  DETECTOR_BUDGET,
  DETECTOR_IDS,
  DETECTORS,
  DETECTORS_PRELUDE,
  detect,
  pii,
  sensitivity,
} from "./detectors.js";

const fires = (id: string, s: string) => DETECTORS[id]!.test(s);

describe("true and false positives", () => {
  it.each([
    ["email", "contact: jane.doe+work@example.co.uk, thanks"],
    ["phone", "call +33 6 12 34 56 78"],
    ["phone", "call +14155552671 now"],
    ["phone", "office (415) 555-2671"],
    ["phone", "fixe 01.45.67.89.10"],
    ["phone", "uk 020 7946 0958"],
    ["credit_card", "card 4111 1111 1111 1111 exp 12/29"],
    ["credit_card", "4111-1111-1111-1111"],
    ["credit_card", "amex 378282246310005"],
    ["iban", "IBAN FR76 3000 6000 0112 3456 7890 189 EUR"],
    ["iban", "GB82WEST12345698765432"],
    ["iban", "DE89 3704 0044 0532 0130 00"],
    ["us_ssn", "ssn 536-22-1234"],
    ["fr_nir", "NIR 1 84 12 76 451 089 46"],
    ["fr_nir", "269029934173285"],
    ["fr_nir", "1 85 05 2A 123 456 33"],
    ["api_key", "AKIAIOSFODNN7EXAMPLE"],
    ["api_key", "token ghp_0123456789abcdefghijklmnopqrstuvwxyz"],
    ["api_key", "xoxb-123456789012-abcdefghijkl"],
    ["api_key", "OPENAI_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz123456"],
    ["api_key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"],
    ["bearer_token", "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789"],
    [
      "jwt",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ],
    ["credential", 'config: password = "hunter2hunter2"'],
    ["private_key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----"],
    ["private_key", "-----BEGIN OPENSSH PRIVATE KEY-----"],
    ["private_key", "-----BEGIN PGP PRIVATE KEY BLOCK-----"],
    ["health_term", "the patient's diagnosis is type 2 diabetes"],
    ["icd10_code", "coded as E11.9 in the chart"],
    ["confidential_marker", "STRICTLY CONFIDENTIAL: Q3 numbers"],
    ["internal_marker", "For internal use only"],
  ])("%s fires on %j", (id, text) => {
    expect(fires(id, text)).toBe(true);
  });

  it.each([
    ["email", "not an address: user at example dot com"],
    ["email", "@handle and foo@bar"],
    ["phone", "order 2024-01-15 at 10:30"],
    ["phone", "version 1.2.3.4"],
    ["phone", "+12 34"],
    // 16 digits failing Luhn: not a card
    ["credit_card", "4111 1111 1111 1112"],
    ["credit_card", "0000 0000 0000 0000"],
    ["credit_card", "order id 1234567890123456"],
    ["credit_card", "9999999999999995"],
    // wrong IBAN checksum (last digit changed)
    ["iban", "FR76 3000 6000 0112 3456 7890 188"],
    ["iban", "GB82WEST12345698765431"],
    ["us_ssn", "666-12-3456"],
    ["us_ssn", "900-12-3456"],
    ["us_ssn", "000-12-3456"],
    ["us_ssn", "536-00-1234"],
    ["us_ssn", "536-22-0000"],
    ["us_ssn", "123-45-6789"],
    ["us_ssn", "536-22 1234"],
    ["fr_nir", "1 84 12 76 451 089 47"],
    ["api_key", "task-abcdefghijklmnopqrstuvwxyz"],
    ["api_key", "AKIA1234"],
    ["bearer_token", "bearer short"],
    ["credential", "password reset link sent"],
    ["private_key", "-----BEGIN PUBLIC KEY-----"],
    ["health_term", "hearing aids and visual aids; be patient"],
    ["icd10_code", "release v10.2.3 and U12.3"],
    ["confidential_marker", "this is public"],
  ])("%s does not fire on %j", (id, text) => {
    expect(fires(id, text)).toBe(false);
  });

  it("finds the exact ranges to redact", () => {
    const s = "cards 4111 1111 1111 1111 and 5500-0000-0000-0004, bad 4111111111111112";
    const ranges = DETECTORS.credit_card!.find(s);
    expect(ranges.map((r) => s.slice(r.start, r.end))).toEqual([
      "4111 1111 1111 1111",
      "5500-0000-0000-0004",
    ]);
    const iban = "pay FR76 3000 6000 0112 3456 7890 189 EUR today";
    const [r] = DETECTORS.iban!.find(iban);
    expect(iban.slice(r!.start, r!.end)).toBe("FR76 3000 6000 0112 3456 7890 189");
  });

  it("redacts a whole PEM block", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----";
    const s = `key: ${pem} trailing`;
    const [r] = DETECTORS.private_key!.find(s);
    expect(s.slice(r!.start, r!.end)).toBe(pem);
  });

  it("knows sensitive field names", () => {
    expect(DETECTORS.credential!.testKey("db_password")).toBe(true);
    expect(DETECTORS.credential!.testKey("apiKey")).toBe(true);
    expect(DETECTORS.credential!.testKey("token_count")).toBe(false);
    expect(DETECTORS.email!.testKey("password")).toBe(false);
    expect(detect({ db: { password: "s3cr3t-value" } })).toEqual(["credential"]);
    expect(detect({ password: "********" })).toEqual([]);
  });
});

describe("pii, sensitivity and detect over nested arguments", () => {
  it("orders classes: secret > health > financial > pii > confidential > internal > public", () => {
    expect(sensitivity({ a: "hello", b: [1, 2, 3] })).toBe("public");
    expect(sensitivity("for internal use only")).toBe("internal");
    expect(sensitivity(["confidential", "for internal use"])).toBe("confidential");
    expect(sensitivity({ to: "a@b.io", note: "confidential" })).toBe("pii");
    expect(sensitivity({ to: "a@b.io", card: "4111111111111111" })).toBe("financial");
    expect(sensitivity({ x: [{ y: "diabetes" }], card: "4111111111111111" })).toBe("health");
    expect(sensitivity({ deep: { k: ["AKIAIOSFODNN7EXAMPLE"] }, d: "diabetes" })).toBe("secret");
  });

  it("reads numbers as their decimal text", () => {
    expect(detect({ card: 4111111111111111 })).toEqual(["credit_card"]);
    expect(pii({ n: 4111111111111112 })).toBe(false);
  });

  it("pii is personal data only (pii, financial, health), not secrets or markers", () => {
    expect(pii({ body: "write to jane@example.com" })).toBe(true);
    expect(pii({ iban: "DE89370400440532013000" })).toBe(true);
    expect(pii({ note: "chemotherapy on monday" })).toBe(true);
    expect(pii({ key: "AKIAIOSFODNN7EXAMPLE", note: "confidential" })).toBe(false);
    expect(pii(undefined)).toBe(false);
  });

  it("detect lists ids in registry order", () => {
    expect(detect(["jane@example.com", "AKIAIOSFODNN7EXAMPLE", "jane@example.com"])).toEqual([
      "api_key",
      "email",
    ]);
  });
});

describe("budget and totality", () => {
  it("never throws on cyclic objects, throwing getters, proxies or odd values", () => {
    const cyc: Record<string, unknown> = { a: "x" };
    cyc.self = cyc;
    const getter = {
      get boom() {
        throw new Error("boom");
      },
      ok: "jane@example.com",
    };
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("nope");
        },
      },
    );
    for (const v of [cyc, getter, proxy, Symbol("s"), () => 1, 10n, null, new Map(), NaN]) {
      expect(() => sensitivity(v)).not.toThrow();
      expect(() => detect(v)).not.toThrow();
      expect(() => pii(v)).not.toThrow();
    }
    expect(pii(getter)).toBe(true);
    expect(sensitivity(cyc)).toBe("public");
  });

  it("stops at the depth budget", () => {
    let deep: unknown = "jane@example.com";
    for (let i = 0; i < DETECTOR_BUDGET.maxDepth; i++) deep = { n: deep };
    expect(pii(deep)).toBe(true);
    expect(pii({ n: deep })).toBe(false);
    let deeper: unknown = "x";
    for (let i = 0; i < 100_000; i++) deeper = [deeper];
    expect(sensitivity(deeper)).toBe("public");
  });

  it("stops at the node budget", () => {
    const items = Array.from({ length: DETECTOR_BUDGET.maxNodes + 10 }, () => "x");
    items[DETECTOR_BUDGET.maxNodes - 2] = "jane@example.com";
    expect(pii(items)).toBe(true);
    items[DETECTOR_BUDGET.maxNodes - 2] = "x";
    items[DETECTOR_BUDGET.maxNodes + 5] = "jane@example.com";
    expect(pii(items)).toBe(false);
  });

  it("stops at the text budget and stays fast on huge hostile strings", () => {
    const pad = "a".repeat(DETECTOR_BUDGET.maxText);
    expect(pii([pad, "jane@example.com"])).toBe(false);
    expect(pii(["jane@example.com", pad])).toBe(true);
    const hostile = [
      "a".repeat(2_000_000),
      "1".repeat(2_000_000),
      "+1 ".repeat(300_000),
      "a@".repeat(500_000),
      "-----BEGIN PRIVATE KEY-----".repeat(40_000),
      "FR76 ".repeat(200_000),
    ];
    const t0 = performance.now();
    for (const h of hostile) {
      expect(detect({ h })).toBeInstanceOf(Array);
      DETECTORS.phone!.find(h);
    }
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it("property: never throws and always returns a known class", () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const s = sensitivity(v);
        expect([
          "public",
          "internal",
          "confidential",
          "pii",
          "financial",
          "health",
          "secret",
        ]).toContain(s);
        expect(Array.isArray(detect(v))).toBe(true);
        expect(typeof pii(v)).toBe("boolean");
      }),
      { numRuns: 300 },
    );
  });

  it("property: a Luhn-valid card number embedded in text is found, a broken one is not", () => {
    const luhnDigit = (body: string) => {
      let sum = 0;
      for (let i = 0; i < body.length; i++) {
        let n = Number(body[body.length - 1 - i]);
        if (i % 2 === 0) {
          n *= 2;
          if (n > 9) n -= 9;
        }
        sum += n;
      }
      return (10 - (sum % 10)) % 10;
    };
    fc.assert(
      fc.property(
        fc.constantFrom("4", "5", "3", "6"),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 }),
        (first, rest) => {
          const body = first + rest.join("");
          if (/^(\d)\1+$/.test(body)) return;
          const check = luhnDigit(body);
          expect(fires("credit_card", `pay ${body}${check} now`)).toBe(true);
          expect(fires("credit_card", `pay ${body}${(check + 1) % 10} now`)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("prefilters", () => {
  it("property: the per-string prefilters never change a result (vs running every pattern)", () => {
    const order = ["public", "internal", "confidential", "pii", "financial", "health", "secret"];
    const fragments = [
      "AKIAIOSFODNN7EXAMPLE",
      "ASIAIOSFODNN7EXAMPLE",
      "AIzaSyA1234567890abcdefghijklmnopqrstu",
      "All Anna AAnd",
      "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
      "sk-abcdefghijklmnopqrstuvwxyz1234",
      "Bearer abcdefghijklmnopqrstuvwxyz",
      "bearer abcdefghijklmnopqrstuvwxyz",
      "xoxb-1234567890-abcdefghij",
      "glpat-abcdefghijklmnopqrstu",
      "HIV",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w",
      "-----BEGIN PRIVATE KEY-----",
      "4111 1111 1111 1111",
      "DE89 3704 0044 0532 0130 00",
      "jane@example.com",
      "536-22-1234",
      "1 84 12 76 451 089 46",
      "+33 6 12 34 56 78",
      "E11.9",
      "Diabetes",
      "CONFIDENTIAL",
      "for internal use",
      "password=hunter22",
      "x",
      " ",
      "12",
      ".",
      "-",
      "@",
      "=",
    ];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 12 })), {
          maxLength: 5,
        }),
        (parts) => {
          const s = parts.join(" ");
          const expected = DETECTOR_IDS.filter((id) => DETECTORS[id]!.test(s)).reduce(
            (best, id) => Math.max(best, order.indexOf(DETECTORS[id]!.sensitivity)),
            0,
          );
          expect(sensitivity(s)).toBe(order[expected]);
          expect(detect(s)).toEqual(DETECTOR_IDS.filter((id) => DETECTORS[id]!.test(s)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("property: a number reads as its decimal text (the number fast path changes nothing)", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.double(), fc.integer(), fc.constantFrom(4111111111111111, 33612345678)),
        fc.constantFrom("n", "password", "amount"),
        (n, key) => {
          expect(sensitivity({ [key]: n })).toBe(sensitivity({ [key]: String(n) }));
          expect(detect({ [key]: n })).toEqual(detect({ [key]: String(n) }));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("custom detectors and the prelude text", () => {
  it("adds custom regex detectors with their class, kept apart per set", () => {
    const set = createDetectorSet([
      { id: "employee_id", pattern: "EMP-[0-9]{6}", sensitivity: "confidential" },
      { id: "project", pattern: "project\\s+zeus", sensitivity: "secret", flags: "i" },
    ]);
    expect(set.sensitivity({ note: "EMP-123456" })).toBe("confidential");
    expect(set.sensitivity({ note: "EMP-123456 PROJECT   Zeus" })).toBe("secret");
    expect(set.detect({ note: "EMP-123456 jane@example.com" })).toEqual(["email", "employee_id"]);
    expect(set.detectors.employee_id!.find("x EMP-123456 y")).toEqual([{ start: 2, end: 12 }]);
    expect(sensitivity({ note: "EMP-123456" })).toBe("public");
    expect(DETECTORS.employee_id).toBeUndefined();
  });

  it("is import-free, uses only $pg_ names at top level and is deterministic", () => {
    expect(DETECTORS_PRELUDE).not.toMatch(/\bimport\b|\brequire\(|`|\$\{/);
    const topLevel = [...DETECTORS_PRELUDE.matchAll(/^(?:const|let|function) ([\w$]+)/gm)].map(
      (m) => m[1],
    );
    expect(topLevel.length).toBeGreaterThan(10);
    for (const name of topLevel) expect(name).toMatch(/^\$pg_/);
  });

  it("every builtin detector stays linear on adversarial input", () => {
    // redos-detector flags bounded overlapping repetitions too (score cap), so the builtins are
    // checked empirically instead: each pattern has bounded repetitions, which keeps one scan
    // linear in the text length; these inputs maximise backtracking for each of them.
    const n = 200_000;
    const hostile = [
      "a".repeat(n),
      "1".repeat(n),
      "1 ".repeat(n / 2),
      "+1-".repeat(n / 3),
      "a@".repeat(n / 2),
      "a@b.".repeat(n / 4),
      "AB12".repeat(n / 4),
      "eyJaaaaaaaaa.".repeat(n / 13),
      "password=".repeat(n / 9),
      "-----BEGIN PRIVATE KEY-----".repeat(n / 27),
    ];
    for (const id of DETECTOR_IDS) {
      const t0 = performance.now();
      for (const h of hostile) DETECTORS[id]!.find(h);
      // quadratic behaviour on 200k characters would take minutes; linear takes milliseconds
      expect({ id, slow: performance.now() - t0 > 5_000 }).toEqual({ id, slow: false });
    }
  });
});
