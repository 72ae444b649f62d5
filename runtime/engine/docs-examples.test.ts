// The examples of docs/runtime.md, run as written (with the package name replaced by paths).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDetectorSet } from "../../grammar/builtins/detectors.js";
import { ManualClock } from "../clock.js";
import type { Obligation } from "../decision/types.js";
import { PolicyEngine } from "./engine.js";
import { LmdbLimitStore, PersistentLimits } from "./limit-store.js";
import { LimitCounters } from "./limits.js";
import { loadBundle } from "./loader.js";
import { redact } from "./redact.js";
import { bundleSource, writeBundle } from "./test-helpers/bundle-fixture.js";

describe("docs/runtime.md examples", () => {
  it("redaction example", () => {
    const obligations: Obligation[] = [
      {
        type: "redact",
        policy: "mask-pii",
        paths: ["args.password", "args.card.number", "args.items[*].email"],
        detectors: ["email", "credit_card"],
      },
    ];
    expect(
      redact(
        {
          password: "hunter2",
          card: { number: "4111 1111 1111 1111" },
          items: [{ email: "a@x.io" }],
          note: "mail bob@example.com",
        },
        obligations,
        "args",
      ),
    ).toEqual({
      password: "[REDACTED]",
      card: { number: "[REDACTED]" },
      items: [{ email: "[REDACTED]" }],
      note: "mail [REDACTED:email]",
    });
  });

  it("custom detectors through createDetectorSet", () => {
    const { detectors } = createDetectorSet([
      { id: "employee_id", pattern: "EMP-[0-9]{6}", sensitivity: "confidential" },
    ]);
    const o: Obligation[] = [{ type: "redact", policy: "p", detectors: ["employee_id", "email"] }];
    expect(redact({ n: "EMP-123456 ada@example.com" }, o, "args", { detectors })).toEqual({
      n: "[REDACTED:employee_id] [REDACTED:email]",
    });
  });

  it("rate limit example: 3 per minute at 0, 1, 2 s; 3 s denied (57 s); 60 s allowed", async () => {
    const bundle = await loadBundle(
      writeBundle(
        bundleSource(
          `return { decision: "allow", obligations: [{ type: "rate_limit", policy: "search-rl", limit: 3, window_ms: 60000, per: ["agent"] }] };`,
        ),
      ).dir,
    );
    const clock = new ManualClock(Date.parse("2025-01-06T09:00:00Z"));
    const engine = new PolicyEngine({ bundle, clock });
    const call = () => engine.decide({ agent: { id: "a" }, action: { name: "search.web" } });
    for (let i = 0; i < 3; i++) {
      expect(call().decision).toBe("allow");
      clock.advance(1_000);
    }
    const d = call();
    expect(d.limited?.retry_after_ms).toBe(57_000);
    expect(d.reasons[0]).toBe("rate limit `search-rl` exceeded: 3 calls per 1m");
    clock.set(Date.parse("2025-01-06T09:01:00Z"));
    expect(call().decision).toBe("allow");
  });

  it("persistent counters example: a spent rate limit stays spent across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "paracle-docs-limits-"));
    const bundle = await loadBundle(
      writeBundle(
        bundleSource(
          `return { decision: "allow", obligations: [{ type: "rate_limit", policy: "search-rl", limit: 3, window_ms: 60000, per: ["agent"] }] };`,
        ),
      ).dir,
    );
    const run = async (calls: number) => {
      const counters = new LimitCounters({ maxEntries: 1_000_000 });
      const store = LmdbLimitStore.open(join(dir, "data", "limits"));
      const limits = new PersistentLimits({ counters, store, flushIntervalMs: 1000 });
      const { restored } = await limits.start();
      const engine = new PolicyEngine({ bundle, limits: counters });
      const decisions = [];
      for (let i = 0; i < calls; i++)
        decisions.push(
          engine.decide({ agent: { id: "a" }, action: { name: "search.web" } }).decision,
        );
      await limits.stop();
      await store.close();
      return { restored, decisions };
    };
    try {
      expect(await run(2)).toEqual({ restored: 0, decisions: ["allow", "allow"] });
      // a new process: one call left in this minute
      expect(await run(2)).toEqual({ restored: 1, decisions: ["allow", "deny"] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
