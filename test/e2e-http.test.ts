/**
 * Plain HTTP tools, the route table and `/v1/decide` through the sidecar (issue 7 acceptance):
 * problem+json refusals (403, 429 with Retry-After), async approvals forwarded exactly once on
 * retry with the idempotency key, audit records for each case.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Harness, json, startHarness, TOKENS } from "./proxy-helpers/harness.js";

let h: Harness;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(h.sidecar.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  h = await startHarness({ approvals: { mode: "async" } });
});
afterAll(async () => {
  await h?.close();
});

describe("plain HTTP tools", () => {
  it("forwards an allowed call and returns the server's answer", async () => {
    const res = await post("/tools/echo", { text: "hi" });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ result: { text: "hi" } });
    expect(h.demo.calls.at(-1)).toEqual({ protocol: "http", tool: "echo", args: { text: "hi" } });
  });

  it("refuses a denied call with 403 problem+json naming the policy", async () => {
    const before = h.demo.calls.length;
    const res = await post("/tools/shell.exec", { command: "id" });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await json(res);
    expect(body).toMatchObject({
      type: "https://paracle.dev/problems/policy-denied",
      title: "Denied by policy",
      status: 403,
      detail: "shell commands are forbidden for agents",
      policy: "deny-shell",
      decision: "deny",
    });
    expect(body.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.demo.calls.length).toBe(before);
    const rec = h.audit.records.find((r) => r.correlation_id === body.correlation_id);
    expect(rec).toMatchObject({
      type: "policy.evaluation",
      outcome: "denied",
      action: "shell.exec",
    });
  });

  it("answers 429 with Retry-After once the rate limit is spent", async () => {
    expect((await post("/tools/email.send", { to: "a@x.test" })).status).toBe(200);
    expect((await post("/tools/email.send", { to: "b@x.test" })).status).toBe(200);
    const res = await post("/tools/email.send", { to: "c@x.test" });
    expect(res.status).toBe(429);
    const retry = Number(res.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(await json(res)).toMatchObject({
      status: 429,
      policy: "email-rate",
      title: "Rate limited",
    });
    const metrics = await (await fetch(`${h.sidecar.adminUrl}/metrics`)).text();
    expect(metrics).toContain('paracle_limited_total{kind="rate_limit",policy="email-rate"} 1');
  });

  it("redacts arguments on routed paths (route table) before forwarding", async () => {
    const res = await fetch(`${h.sidecar.url}/api/orders/o-9/refund`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ order_id: "o-9", amount: 5, card_number: "4111111111111111" }),
    });
    expect(res.status).toBe(200);
    const seen = h.demo.calls.at(-1)!;
    expect(seen.tool).toBe("/api/orders/o-9/refund");
    expect(seen.args.order_id).toBe("o-9");
    expect(JSON.stringify(seen.args)).not.toContain("4111");
    const rec = h.audit.records
      .filter((r) => r.type === "policy.evaluation" && r.action === "payments.refund")
      .at(-1);
    expect(rec).toMatchObject({ outcome: "success" });
  });

  it("async approval: 202 with the id, then the approved call is forwarded exactly once", async () => {
    const key = "retry-key-0001";
    const first = await post(
      "/tools/files.delete",
      { path: "/tmp/async" },
      { "idempotency-key": key },
    );
    expect(first.status).toBe(202);
    const pending = await json(first);
    expect(pending).toMatchObject({
      type: "https://paracle.dev/problems/approval-pending",
      idempotency_key: key,
    });
    const id = pending.approval_id as string;
    expect(h.demo.calls.some((c) => c.args.path === "/tmp/async")).toBe(false);

    // still pending: the retry answers 202 again with the same request
    const again = await post(
      "/tools/files.delete",
      { path: "/tmp/async" },
      { "idempotency-key": key },
    );
    expect(again.status).toBe(202);
    expect((await json(again)).approval_id).toBe(id);

    expect(
      (await h.admin(`/v1/approvals/${id}/approve`, { body: {}, token: TOKENS.lead })).status,
    ).toBe(200);
    expect(
      (await h.admin(`/v1/approvals/${id}/approve`, { body: {}, token: TOKENS.sec })).status,
    ).toBe(200);

    const done = await post(
      "/tools/files.delete",
      { path: "/tmp/async" },
      { "idempotency-key": key },
    );
    expect(done.status).toBe(200);
    expect(await json(done)).toEqual({ result: { path: "/tmp/async", deleted: true } });
    const replay = await post(
      "/tools/files.delete",
      { path: "/tmp/async" },
      { "idempotency-key": key },
    );
    expect(replay.status).toBe(409);
    expect(h.demo.calls.filter((c) => c.args.path === "/tmp/async")).toHaveLength(1);
  });

  it("rejects malformed bodies and tool names clearly", async () => {
    const bad = await post("/tools/echo", "{nope");
    expect(bad.status).toBe(400);
    expect((await json(bad)).title).toBe("Invalid JSON");
    const notObj = await post("/tools/echo", "[1,2]");
    expect(notObj.status).toBe(400);
    const name = await post("/tools/..%2Fadmin", {});
    expect(name.status).toBe(400);
    const none = await post("/nowhere", {});
    expect(none.status).toBe(404);
  });
});

describe("POST /v1/decide", () => {
  it("answers the decision JSON and audits it", async () => {
    const before = h.audit.records.length;
    const res = await post("/v1/decide", {
      agent: { id: "spoofed", roles: ["admin"] },
      action: { name: "shell.exec" },
      args: {},
    });
    expect(res.status).toBe(200);
    const d = await json(res);
    expect(d.decision).toBe("deny");
    expect(d.matched.map((m: { id: string }) => m.id)).toContain("deny-shell");
    await eventually(() => h.audit.records.length > before);
    const rec = h.audit.records.slice(before).find((r) => r.type === "policy.evaluation");
    // the agent cannot spoof its identity: the configured one is used
    expect(rec).toMatchObject({
      actor: { id: "support-bot", kind: "agent" },
      action: "shell.exec",
    });
  });

  it("refuses inputs without an action name", async () => {
    const res = await post("/v1/decide", { agent: { id: "x" } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect((await json(res)).title).toBe("Invalid decision input");
  });

  it("refuses a body that is not JSON with the parser's message, and decides nothing", async () => {
    const before = h.audit.records.length;
    const res = await post("/v1/decide", '{"action": {"name": "x"');
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = await json(res);
    expect(body).toMatchObject({ title: "Invalid JSON", status: 400 });
    expect(body.detail).toMatch(/JSON/);
    expect(h.audit.records.length).toBe(before);
  });

  it("leaves an audit log that verifies, holding exactly the records written", async () => {
    await new Promise((r) => setTimeout(r, 100));
    const report = await h.trail.verify();
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.size).toBe(h.audit.records.length);
  });
});
