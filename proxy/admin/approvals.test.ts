import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { decisionFor, inputFor } from "../../runtime/approvals/test-helpers/fixtures.js";
import { type Harness, harness } from "../../runtime/approvals/test-helpers/harness.js";
import { approvalRoutes } from "./approvals.js";
import type { AdminEnv } from "./auth.js";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
type Json = any;

const TOKENS: Record<string, { id: string; roles: string[] }> = {
  "t-lea": { id: "lea", roles: ["lead"] },
  "t-leo": { id: "leo", roles: ["lead"] },
  "t-sam": { id: "sam", roles: ["security"] },
  "t-sue": { id: "sue", roles: ["security"] },
  "t-olivia": { id: "olivia", roles: ["lead"] },
};

let close: (() => void) | undefined;
afterEach(() => close?.());

type Call = (
  path: string,
  init?: { method?: string; token?: string; body?: unknown },
) => Promise<{ status: number; type: string | null; body: Json }>;

async function start(h: Harness): Promise<Call> {
  const app = new Hono<AdminEnv>();
  // Stand-in for the proxy's admin auth: a token map, no header ⇒ no principal.
  app.use(async (c, next) => {
    const token = c.req.header("authorization")?.replace(/^Bearer /, "");
    const p = token ? TOKENS[token] : undefined;
    if (p) c.set("principal", p);
    await next();
  });
  app.route("/v1/approvals", approvalRoutes(h.service));
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  close = () => server.close();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/approvals`;
  return async (path, init = {}) => {
    const res = await fetch(base + path, {
      method: init.method ?? "GET",
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(init.body !== undefined
        ? { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }
        : {}),
    });
    return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
  };
}

const twoLevels = { levels: [{ roles: ["lead"] }, { roles: ["security"], required: 2, of: 3 }] };

describe("admin approval routes over HTTP", () => {
  it("lists, gets and walks a chain to approval; records who decided", async () => {
    const h = await harness({
      templates: { "critical-chain": { ...twoLevels, timeout_ms: 60_000 } },
    });
    const call = await start(h);
    const r = await h.service.request({
      input: inputFor(),
      decision: decisionFor(twoLevels, { level: "critical" }),
    });
    const list = await call("?role=lead", { token: "t-lea" });
    expect(list.status).toBe(200);
    expect(list.body.count).toBe(1);
    expect(list.body.requests[0]).toMatchObject({ id: r.id, priority: "urgent", state: "pending" });
    expect((await call("?role=security", { token: "t-lea" })).body.count).toBe(0);
    expect((await call(`/${r.id}`, { token: "t-sam" })).body).toMatchObject({
      id: r.id,
      currentLevel: 0,
    });

    const one = await call(`/${r.id}/approve`, {
      method: "POST",
      token: "t-lea",
      body: { reason: "ok" },
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ state: "pending", currentLevel: 1 });
    await call(`/${r.id}/approve`, { method: "POST", token: "t-sam" });
    const done = await call(`/${r.id}/approve`, { method: "POST", token: "t-sue" });
    expect(done.body).toMatchObject({ state: "approved", decidedBy: { id: "sue", kind: "user" } });
    expect(done.body.votes.map((v: { approver: { id: string } }) => v.approver.id)).toEqual([
      "lea",
      "sam",
      "sue",
    ]);

    const stats = await call("/stats", { token: "t-lea" });
    expect(stats.body).toMatchObject({ approvalRate: 1, byState: { approved: 1 } });
    const templates = await call("/templates", { token: "t-lea" });
    expect(templates.body.templates).toEqual([
      { name: "critical-chain", ...twoLevels, timeout_ms: 60_000 },
    ]);
    expect((await call("/templates/critical-chain", { token: "t-lea" })).body.name).toBe(
      "critical-chain",
    );
    const missing = await call("/templates/nope", { token: "t-lea" });
    expect(missing).toMatchObject({ status: 404, type: "application/problem+json" });
  });

  it("answers refusals as problem+json with the rule that refused", async () => {
    const h = await harness();
    const call = await start(h);
    const r = await h.service.request({
      input: inputFor(),
      decision: decisionFor({ ...twoLevels, require_reason_on_reject: true }),
    });
    const owner = await call(`/${r.id}/approve`, { method: "POST", token: "t-olivia" });
    expect(owner).toMatchObject({
      status: 403,
      type: "application/problem+json",
      body: {
        title: "Not allowed to decide this request",
        code: "approval_owner_cannot_approve",
        detail: "`olivia` owns the requesting agent `agent-1` and cannot approve its request",
        help: "separation of duties: another approver must decide",
      },
    });
    const wrongRole = await call(`/${r.id}/approve`, { method: "POST", token: "t-sam" });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.code).toBe("approval_not_eligible");
    const noReason = await call(`/${r.id}/reject`, { method: "POST", token: "t-lea", body: {} });
    expect(noReason.status).toBe(422);
    expect(noReason.body.detail).toBe("a reason is required to reject this request");
    const unknown = await call("/nope", { token: "t-lea" });
    expect(unknown).toMatchObject({
      status: 404,
      body: { code: "approval_not_found", title: "Approval request not found" },
    });
    const unauth = await call("");
    expect(unauth).toMatchObject({ status: 401, type: "application/problem+json" });
    const badJson = await call(`/${r.id}/approve`, {
      method: "POST",
      token: "t-lea",
      body: "{nope",
    });
    expect(badJson).toMatchObject({
      status: 400,
      body: { detail: "the request body is not valid JSON" },
    });
    const badField = await call(`/${r.id}/approve`, {
      method: "POST",
      token: "t-lea",
      body: { reson: "x" },
    });
    expect(badField.body.detail).toBe("unknown field `reson` in the body; expected `reason`");
    const badState = await call("?state=done", { token: "t-lea" });
    expect(badState.status).toBe(400);
    expect(badState.body.detail).toContain("unknown state `done`");

    await call(`/${r.id}/approve`, { method: "POST", token: "t-lea" });
    const twice = await call(`/${r.id}/approve`, { method: "POST", token: "t-lea" });
    expect(twice.status).toBe(403);
    const rejected = await call(`/${r.id}/reject`, {
      method: "POST",
      token: "t-sam",
      body: { reason: "no" },
    });
    expect(rejected.body).toMatchObject({ state: "rejected", reason: "no" });
    const late = await call(`/${r.id}/cancel`, { method: "POST", token: "t-lea" });
    expect(late).toMatchObject({ status: 409, body: { code: "approval_not_open" } });
  });

  it("batch approves by ids and rejects by filter; cancel works", async () => {
    const h = await harness();
    const call = await start(h);
    const a = await h.service.request({ input: inputFor(), decision: decisionFor() });
    const b = await h.service.request({
      input: inputFor({ agent: { id: "other" } }),
      decision: decisionFor(),
    });
    const c = await h.service.request({
      input: inputFor({ agent: { id: "other" } }),
      decision: decisionFor(),
    });
    const byIds = await call("/batch", {
      method: "POST",
      token: "t-lea",
      body: { action: "approve", ids: [a.id] },
    });
    expect(byIds.body).toEqual({
      results: [{ id: a.id, ok: true, state: "approved" }],
      succeeded: 1,
      failed: 0,
    });
    const cancelled = await call(`/${c.id}/cancel`, {
      method: "POST",
      token: "t-leo",
      body: { reason: "dup" },
    });
    expect(cancelled.body).toMatchObject({ state: "cancelled", reason: "dup" });
    const byFilter = await call("/batch", {
      method: "POST",
      token: "t-leo",
      body: { action: "reject", filter: { agent: "other" }, reason: "bulk" },
    });
    expect(byFilter.body.results).toEqual([{ id: b.id, ok: true, state: "rejected" }]);
    const bad = await call("/batch", {
      method: "POST",
      token: "t-leo",
      body: { action: "approve" },
    });
    expect(bad).toMatchObject({ status: 400, body: { detail: "give either `ids` or `filter`" } });
    const empty = await call("/batch", {
      method: "POST",
      token: "t-leo",
      body: { action: "reject", filter: {} },
    });
    expect(empty.status).toBe(400);
    const all = await call("?state=all", { token: "t-leo" });
    expect(all.body.count).toBe(3);
  });
});
