/**
 * Fault tests (issue 7 acceptance): upstream down or slow, audit log failing, a corrupt bundle
 * mid-traffic, oversized bodies and headers, malformed JSON-RPC, bad Origin. The sidecar stays
 * up, answers clearly and fails closed.
 */
import { execFile } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transpileAudit } from "./audit-helpers/transpile.js";
import { eventually, type Harness, json, startHarness } from "./proxy-helpers/harness.js";

const rpc = (h: Harness, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.sidecar.url}/mcp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const call = (name: string, args: Record<string, unknown>, id = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args },
});

describe("malformed input", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ limits: { max_body: "64kb", max_header: "8kb" } });
  });
  afterAll(() => h?.close());

  it("answers the JSON-RPC error codes", async () => {
    const parse = await rpc(h, "{nope");
    expect(parse.status).toBe(400);
    expect((await json(parse)).error.code).toBe(-32700);
    const invalid = await rpc(h, { jsonrpc: "1.0", id: 1, method: "x" });
    expect(invalid.status).toBe(400);
    expect(await json(invalid)).toMatchObject({ id: 1, error: { code: -32600 } });
    const noName = await rpc(h, {
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { arguments: {} },
    });
    expect(await json(noName)).toMatchObject({ id: 7, error: { code: -32602 } });
    const batch = await rpc(h, [call("echo", { text: "x" })]);
    expect(batch.status).toBe(400);
    expect((await json(batch)).error.code).toBe(-32600);
  });

  it("refuses a non-allowed Origin with 403 and unknown protocol versions with 400", async () => {
    const evil = await rpc(h, call("echo", { text: "x" }), { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    const local = await rpc(h, call("echo", { text: "x" }), { origin: "http://localhost:5173" });
    expect(local.status).not.toBe(403);
    const version = await rpc(h, call("echo", { text: "x" }), {
      "mcp-protocol-version": "1999-01-01",
    });
    expect(version.status).toBe(400);
  });

  it("answers 413 for oversized bodies and 431 for oversized headers, then keeps serving", async () => {
    const big = "x".repeat(100 * 1024);
    const mcp = await rpc(h, call("echo", { text: big }));
    expect(mcp.status).toBe(413);
    const tool = await fetch(`${h.sidecar.url}/tools/echo`, {
      method: "POST",
      body: JSON.stringify({ text: big }),
    });
    expect(tool.status).toBe(413);
    const headers = await fetch(`${h.sidecar.url}/tools/echo`, {
      method: "POST",
      body: "{}",
      headers: { "x-big": "y".repeat(16 * 1024) },
    });
    expect(headers.status).toBe(431);
    const ok = await fetch(`${h.sidecar.url}/tools/echo`, {
      method: "POST",
      body: JSON.stringify({ text: "still up" }),
    });
    expect(ok.status).toBe(200);
  });
});

describe("upstream faults", () => {
  let down: Harness;
  let slow: Harness;
  beforeAll(async () => {
    down = await startHarness({}, { upstreamUrl: "http://127.0.0.1:9" });
    slow = await startHarness({}, { upstreamTimeout: "300ms" });
  });
  afterAll(async () => {
    await down?.close();
    await slow?.close();
  });

  it("answers 502 with a clear error when the upstream is down, and audits the failure", async () => {
    const res = await rpc(down, call("echo", { text: "x" }, 3));
    expect(res.status).toBe(502);
    const body = await json(res);
    expect(body).toMatchObject({ id: 3, error: { code: -32000 } });
    expect(body.error.message).toContain("unreachable");
    const tool = await fetch(`${down.sidecar.url}/tools/echo`, { method: "POST", body: "{}" });
    expect(tool.status).toBe(502);
    expect((await json(tool)).type).toBe("https://paracle.dev/problems/upstream-error");
    await eventually(() =>
      down.audit.records.some((r) => r.type === "agent.action" && r.outcome === "error"),
    );
  });

  it("answers 504 when the upstream is slower than its timeout", async () => {
    const res = await fetch(`${slow.sidecar.url}/tools/echo`, {
      method: "POST",
      body: JSON.stringify({ text: "z", sleep_ms: 1500 }),
    });
    expect(res.status).toBe(504);
    const body = await json(res);
    expect(body.title).toBe("Upstream timeout");
    expect(body.detail).toContain("300 ms");
  });
});

describe("audit log failure: the real LMDB log refuses a write", () => {
  // Tests run as root, where a read-only chmod does not stop writes. A real failure that does:
  // a second process writes to the same LMDB log (a tool ignoring the writer lock on a shared
  // data volume). The sidecar's next commit finds its sequence number taken, the trail turns
  // unhealthy and refuses every later append until it is reopened.
  let h: Harness;
  let jsRoot: string;
  beforeAll(async () => {
    jsRoot = transpileAudit();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
    rmSync(jsRoot, { recursive: true, force: true });
  });

  it("refuses a second writer process at open with a clear message (writer lock)", async () => {
    const child = `
      const [mod, dir] = process.argv.slice(-2);
      const { AuditTrail } = await import(mod);
      await AuditTrail.open({ path: dir });`;
    const run = promisify(execFile)(process.execPath, [
      "--input-type=module",
      "-e",
      child,
      pathToFileURL(join(jsRoot, "runtime/audit/index.js")).href,
      join(h.dir, "data", "audit"),
    ]);
    await expect(run).rejects.toMatchObject({
      stderr: expect.stringMatching(
        new RegExp(
          `is being written by process ${process.pid} on \`[^\`]+\` since .*; it has one writer`,
        ),
      ),
    });
    const ok = await fetch(`${h.sidecar.url}/tools/echo`, { method: "POST", body: "{}" });
    expect(ok.status).toBe(200); // the sidecar is unaffected
  });

  it("denies every call (fail closed) and turns /healthz and /readyz red", async () => {
    const ok = await fetch(`${h.sidecar.url}/tools/echo`, { method: "POST", body: "{}" });
    expect(ok.status).toBe(200);
    // a process that ignores the writer lock and writes the next record behind its back
    const child = `
      const [mod, dir] = process.argv.slice(-2);
      const { AuditStorage } = await import(mod);
      const s = AuditStorage.open(dir);
      await s.records.put(s.size(), Buffer.alloc(64, 1));
      await s.close();`;
    await promisify(execFile)(process.execPath, [
      "--input-type=module",
      "-e",
      child,
      pathToFileURL(join(jsRoot, "runtime/audit/storage.js")).href,
      join(h.dir, "data", "audit"),
    ]);
    const before = h.demo.calls.length;
    const tool = await fetch(`${h.sidecar.url}/tools/echo`, {
      method: "POST",
      body: JSON.stringify({ text: "x" }),
    });
    expect(tool.status).toBe(503);
    expect(await json(tool)).toMatchObject({
      type: "https://paracle.dev/problems/unavailable",
      detail: expect.stringContaining("fail closed"),
    });
    const mcp = await rpc(h, call("echo", { text: "x" }));
    expect((await json(mcp)).result).toMatchObject({ isError: true });
    const decide = await fetch(`${h.sidecar.url}/v1/decide`, {
      method: "POST",
      body: JSON.stringify({ action: { name: "echo" } }),
    });
    expect(decide.status).toBe(503);
    expect(h.demo.calls.length).toBe(before);
    expect(h.trail.healthy).toBe(false);
    const health = await fetch(`${h.sidecar.adminUrl}/healthz`);
    expect(health.status).toBe(503);
    expect((await json(health)).checks.audit).toMatch(/^failing: /);
    expect((await fetch(`${h.sidecar.adminUrl}/readyz`)).status).toBe(503);
    expect(await (await fetch(`${h.sidecar.adminUrl}/metrics`)).text()).toMatch(
      /paracle_audit_healthy 0/,
    );
    // the trail stays refused (in-memory state may be ahead of the disk): still closed
    const again = await fetch(`${h.sidecar.url}/tools/echo`, { method: "POST", body: "{}" });
    expect(again.status).toBe(503);
    expect(h.demo.calls.length).toBe(before);
  });
});

describe("audit log failure (injected)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it("denies every call (fail closed) and turns health red until the log accepts writes", async () => {
    expect((await fetch(`${h.sidecar.adminUrl}/healthz`)).status).toBe(200);
    h.audit.failing = true;
    const before = h.demo.calls.length;
    const tool = await fetch(`${h.sidecar.url}/tools/echo`, {
      method: "POST",
      body: JSON.stringify({ text: "x" }),
    });
    expect(tool.status).toBe(503);
    expect((await json(tool)).detail).toContain("fail closed");
    const mcp = await rpc(h, call("echo", { text: "x" }));
    const body = await json(mcp);
    expect(body.result.isError).toBe(true);
    expect(body.result.content[0].text).toContain("audit log cannot be written");
    const decide = await fetch(`${h.sidecar.url}/v1/decide`, {
      method: "POST",
      body: JSON.stringify({ action: { name: "echo" } }),
    });
    expect(decide.status).toBe(503);
    expect(h.demo.calls.length).toBe(before);
    expect((await fetch(`${h.sidecar.adminUrl}/healthz`)).status).toBe(503);
    expect((await fetch(`${h.sidecar.adminUrl}/readyz`)).status).toBe(503);
    const metrics = await (await fetch(`${h.sidecar.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/paracle_audit_healthy 0/);

    h.audit.failing = false;
    const again = await fetch(`${h.sidecar.url}/tools/echo`, {
      method: "POST",
      body: JSON.stringify({ text: "x" }),
    });
    expect(again.status).toBe(200);
    expect((await fetch(`${h.sidecar.adminUrl}/healthz`)).status).toBe(200);
  });
});

describe("bundle replaced mid-traffic", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it("refuses a corrupt bundle, keeps the old one in force and audits both events", async () => {
    const hash = h.sidecar.engine.bundle.hash;
    let stop = false;
    const statuses: number[] = [];
    const traffic = (async () => {
      for (let i = 0; i < 400 && !stop; i++) {
        const r = await fetch(`${h.sidecar.url}/tools/echo`, {
          method: "POST",
          body: JSON.stringify({ text: `t${i}` }),
        });
        statuses.push(r.status);
        await r.arrayBuffer();
      }
    })();
    writeFileSync(
      join(h.bundleDir, "bundle.mjs"),
      "export const decide = () => ({ decision: 'allow' }); // tampered",
    );
    await eventually(() => h.audit.records.some((r) => r.type === "config.bundle_rejected"));
    stop = true;
    await traffic;
    expect(h.sidecar.engine.bundle.hash).toBe(hash);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // the old bundle still denies
    expect(
      (await fetch(`${h.sidecar.url}/tools/shell.exec`, { method: "POST", body: "{}" })).status,
    ).toBe(403);
    const rejected = h.audit.records.find((r) => r.type === "config.bundle_rejected")!;
    expect(rejected).toMatchObject({ outcome: "failure", context: { kept: hash } });
    const reload = await h.admin("/v1/bundle/reload", { body: {} });
    expect(reload.status).toBe(422);
  });
});
