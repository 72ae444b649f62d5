/**
 * `/metrics` reports the audit lag of a sidecar on its real LMDB log: how long group commits made
 * calls wait, records not yet in the search index, records not yet under a signed checkpoint.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DemoToolServer, startDemoToolServer } from "../examples/demo-tool-server/server.mjs";
import { validateConfig } from "../proxy/config/validate.js";
import { openRuntimeParts } from "../proxy/parts.js";
import { type Sidecar, startSidecar } from "../proxy/sidecar.js";
import type { AuditTrail } from "../runtime/audit/trail.js";
import { compileInto, FIXTURE_POLICIES } from "./proxy-helpers/harness.js";

let dir: string;
let demo: DemoToolServer;
let sidecar: Sidecar;
let trail: AuditTrail;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "paracle-audit-lag-"));
  await compileInto(FIXTURE_POLICIES, join(dir, "bundle"));
  demo = await startDemoToolServer({ port: 0 });
  const { privateKey } = generateKeyPairSync("ed25519");
  writeFileSync(join(dir, "audit.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
  const config = validateConfig(
    {
      listen: { port: 0 },
      admin: { port: 0 },
      bundle: { dir: "bundle", watch: false },
      data_dir: "data",
      // no periodic checkpoint during the test: the test signs one itself
      audit: { signing_key: "audit.pem", checkpoint_interval: "1h" },
      upstreams: { demo: { url: demo.url } },
      routes: { tools: { prefix: "/tools/", upstream: "demo" } },
      agent: { id: "support-bot", roles: ["support"] },
    },
    { baseDir: dir, env: {} },
  );
  const parts = await openRuntimeParts(config);
  trail = parts.audit as AuditTrail;
  sidecar = await startSidecar(config, parts);
});
afterAll(async () => {
  await sidecar?.close();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The value of one sample line of the Prometheus text (`name` includes any labels). */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${sidecar.adminUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no sample ${name} in:\n${text}`);
  return Number(line.slice(name.length + 1));
}

it("reports commit waits, unindexed and uncheckpointed records", async () => {
  const commitsBefore = await metric("paracle_audit_commit_wait_seconds_count");
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${sidecar.url}/tools/files.read`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: `/tmp/${i}` }),
    });
    expect(res.status).toBe(200);
  }
  await trail.drain();
  // each call waited for its decision's commit: at least three group commits
  expect(await metric("paracle_audit_commit_wait_seconds_count")).toBeGreaterThanOrEqual(
    commitsBefore + 3,
  );
  // nothing is signed yet: every record is behind the last checkpoint
  expect(await metric("paracle_audit_uncheckpointed_records")).toBe(trail.size);
  expect(await metric("paracle_audit_records")).toBe(trail.size);
  // the rate-limit counters in <data_dir>/limits are written without failures
  expect(await metric("paracle_counter_write_failures")).toBe(0);

  await trail.flushIndex();
  expect(await metric("paracle_audit_unindexed_records")).toBe(0);
  await trail.checkpoint();
  expect(await metric("paracle_audit_uncheckpointed_records")).toBe(0);
});
