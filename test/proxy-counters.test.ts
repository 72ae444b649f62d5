/**
 * Rate-limit and quota counters survive a sidecar restart (`<data_dir>/limits`): a budget spent
 * before a redeploy stays spent after it; `counters.persist: false` keeps them in memory only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoToolServer, startDemoToolServer } from "../examples/demo-tool-server/server.mjs";
import { configProblems } from "../proxy/config/test-helpers/problems.js";
import { validateConfig } from "../proxy/config/validate.js";
import { openRuntimeParts } from "../proxy/parts.js";
import { startSidecar } from "../proxy/sidecar.js";
import { compileInto, FIXTURE_POLICIES } from "./proxy-helpers/harness.js";
import { MemoryAudit } from "./proxy-helpers/memory-audit.js";

let dir: string;
let demo: DemoToolServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "paracle-counters-"));
  await compileInto(FIXTURE_POLICIES, join(dir, "bundle"));
  demo = await startDemoToolServer({ port: 0 });
});
afterAll(async () => {
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One sidecar lifetime on the shared data directory: runs `body`, then shuts down. */
async function lifetime(
  counters: Record<string, unknown>,
  body: (send: () => Promise<Response>, audit: MemoryAudit) => Promise<void>,
) {
  const config = validateConfig(
    {
      listen: { port: 0 },
      admin: { port: 0 },
      bundle: { dir: "bundle", watch: false },
      data_dir: "data",
      upstreams: { demo: { url: demo.url } },
      routes: { tools: { prefix: "/tools/", upstream: "demo" } },
      agent: { id: "support-bot", roles: ["support"] },
      counters,
    },
    { baseDir: dir, env: {} },
  );
  const audit = new MemoryAudit();
  const sidecar = await startSidecar(config, await openRuntimeParts(config, { audit }));
  try {
    // the fixture's `email-rate`: 2 calls per minute per agent
    await body(
      () =>
        fetch(`${sidecar.url}/tools/email.send`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ to: "a@x.test" }),
        }),
      audit,
    );
  } finally {
    await sidecar.close();
  }
}

describe("counters across restarts", () => {
  it("keeps a spent rate limit spent after the sidecar restarts on the same data directory", async () => {
    await lifetime({}, async (send, audit) => {
      expect(audit.records[0]).toMatchObject({
        type: "system.start",
        context: { counters: { persisted: true, restored: 0 } },
      });
      expect((await send()).status).toBe(200);
      expect((await send()).status).toBe(200);
    });
    await lifetime({}, async (send, audit) => {
      expect(audit.records[0]).toMatchObject({
        type: "system.start",
        context: { counters: { persisted: true, restored: 1 } },
      });
      const res = await send();
      expect(res.status).toBe(429);
      const retry = Number(res.headers.get("retry-after"));
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(60);
      expect(await res.json()).toMatchObject({ policy: "email-rate", title: "Rate limited" });
    });
  });

  it("starts from nothing with `counters.persist: false`", async () => {
    await lifetime({ persist: false }, async (send, audit) => {
      expect(audit.records[0]).toMatchObject({
        context: { counters: { persisted: false, restored: 0 } },
      });
      expect((await send()).status).toBe(200);
    });
  });

  it("names each bad `counters` field", () => {
    expect(
      configProblems({ counters: { flush_interval: "0ms", max_entries: 0, keep: 1 } }),
    ).toEqual([
      "`counters.keep`: unknown field",
      "`counters.flush_interval`: must be longer than 0 ms",
      "`counters.max_entries`: must be an integer between 1 and 1000000000, got `0`",
    ]);
  });
});
