/**
 * Approvals through the sidecar (issues 6 and 7 acceptance): a held MCP call resumes after two
 * levels approved by two different admin tokens through the admin API, fails after a rejection,
 * and one token cannot approve both levels; async mode answers at once and forwards the approved
 * call exactly once on retry with the idempotency key.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Harness, startHarness, TOKENS } from "./proxy-helpers/harness.js";

let h: Harness;
let client: Client;

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]?.text ?? "";

/** The id of the open approval request for `path` (polls the admin API). */
async function pendingFor(path: string): Promise<string> {
  return eventually(async () => {
    const res = await h.admin("/v1/approvals");
    const list = (await res.json()) as
      | { id: string; input: { args: { path?: string } } }[]
      | { requests: { id: string; input: { args: { path?: string } } }[] };
    const items = Array.isArray(list) ? list : list.requests;
    return items.find((r) => r.input.args.path === path)?.id;
  }) as Promise<string>;
}

beforeAll(async () => {
  h = await startHarness();
  client = new Client({ name: "e2e-agent", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${h.sidecar.url}/mcp`)));
});
afterAll(async () => {
  await client?.close();
  await h?.close();
});

describe("held MCP calls", () => {
  it("completes after two levels approved by two different tokens", async () => {
    const before = h.demo.calls.length;
    const call = client.callTool({ name: "files.delete", arguments: { path: "/tmp/two-levels" } });
    const id = await pendingFor("/tmp/two-levels");
    expect(h.demo.calls.length).toBe(before); // held: not forwarded yet

    // one person holding both roles cannot approve both levels
    expect(
      (await h.admin(`/v1/approvals/${id}/approve`, { body: {}, token: TOKENS.both })).status,
    ).toBe(200);
    const twice = await h.admin(`/v1/approvals/${id}/approve`, { body: {}, token: TOKENS.both });
    expect(twice.status).toBe(403);
    expect(h.demo.calls.length).toBe(before);

    const second = await h.admin(`/v1/approvals/${id}/approve`, {
      body: { reason: "ok" },
      token: TOKENS.sec,
    });
    expect(second.status).toBe(200);
    const r = await call;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual({ path: "/tmp/two-levels", deleted: true });
    expect(
      h.demo.calls.filter((c) => c.tool === "files.delete" && c.args.path === "/tmp/two-levels"),
    ).toHaveLength(1);

    const decisionRec = h.audit.records.find(
      (x) => x.type === "policy.evaluation" && x.action === "files.delete",
    )!;
    const types = await eventually(() => {
      const t = h.audit.records
        .filter((rec) => rec.correlation_id === decisionRec.correlation_id)
        .map((rec) => rec.type);
      return t.includes("agent.action") ? t : undefined;
    });
    expect(types).toContain("policy.evaluation");
    expect(types).toContain("approval.requested");
    expect(types).toContain("approval.granted");
    expect(types).toContain("agent.action");
  });

  it("fails after a rejection and never reaches the server", async () => {
    const before = h.demo.calls.length;
    const call = client.callTool({ name: "files.delete", arguments: { path: "/tmp/rejected" } });
    const id = await pendingFor("/tmp/rejected");
    const res = await h.admin(`/v1/approvals/${id}/reject`, {
      body: { reason: "not today" },
      token: TOKENS.lead,
    });
    expect(res.status).toBe(200);
    const r = await call;
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("rejected");
    expect(text(r)).toContain(id);
    expect(h.demo.calls.length).toBe(before);
  });

  it("sends progress notifications while held when the client asked for progress", async () => {
    const progress: string[] = [];
    const call = client.callTool(
      { name: "files.delete", arguments: { path: "/tmp/progress" } },
      undefined,
      {
        onprogress: (p) => progress.push(String(p.message)),
        resetTimeoutOnProgress: true,
      },
    );
    const id = await pendingFor("/tmp/progress");
    await eventually(() => progress.length >= 2);
    await h.admin(`/v1/approvals/${id}/approve`, { body: {}, token: TOKENS.lead });
    await h.admin(`/v1/approvals/${id}/approve`, { body: {}, token: TOKENS.sec });
    const r = await call;
    expect(r.isError).toBeFalsy();
    expect(progress[0]).toContain(id);
  });

  it("leaves an audit log that verifies, holding exactly the records written", async () => {
    await new Promise((r) => setTimeout(r, 100));
    const report = await h.trail.verify();
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.size).toBe(h.audit.records.length);
  });
});
