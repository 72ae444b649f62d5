/**
 * The sidecar end to end with the official MCP SDK client and server over real HTTP on loopback
 * (issue 7 acceptance): allow, deny, tools/list filtering, redaction, SSE streaming, audit.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./proxy-helpers/harness.js";

let h: Harness;
let client: Client;

async function connect(): Promise<Client> {
  const c = new Client({ name: "e2e-agent", version: "1.0.0" });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${h.sidecar.url}/mcp`)));
  return c;
}

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]?.text ?? "";

beforeAll(async () => {
  h = await startHarness();
  client = await connect();
});
afterAll(async () => {
  await client?.close();
  await h?.close();
});

describe("MCP through the sidecar", () => {
  it("forwards an allowed call and returns the server's result", async () => {
    const r = await client.callTool({ name: "echo", arguments: { text: "hello" } });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual({ text: "hello" });
    expect(h.demo.calls.at(-1)).toEqual({ protocol: "mcp", tool: "echo", args: { text: "hello" } });
  });

  it("refuses a denied call with isError naming the policy, and the server never sees it", async () => {
    const before = h.demo.calls.length;
    const r = await client.callTool({ name: "shell.exec", arguments: { command: "rm -rf /" } });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("deny-shell");
    expect(text(r)).toContain("shell commands are forbidden");
    expect(h.demo.calls.length).toBe(before);
  });

  it("denies on an argument condition", async () => {
    const r = await client.callTool({ name: "files.read", arguments: { path: "/etc/shadow" } });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("deny-etc-reads");
    const ok = await client.callTool({ name: "files.read", arguments: { path: "/tmp/a" } });
    expect(ok.isError).toBeFalsy();
  });

  it("hides tools the agent may never call from tools/list", async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    expect(names).toContain("echo");
    expect(names).toContain("files.delete");
    expect(names).not.toContain("shell.exec");
  });

  it("redacts an argument before it reaches the server", async () => {
    const r = await client.callTool({
      name: "payments.refund",
      arguments: { order_id: "o-1", amount: 12, card_number: "4111 1111 1111 1111" },
    });
    expect(r.isError).toBeFalsy();
    const seen = h.demo.calls.at(-1)!;
    expect(seen.tool).toBe("payments.refund");
    expect(JSON.stringify(seen.args)).not.toContain("4111");
    expect(seen.args.order_id).toBe("o-1");
  });

  it("streams SSE responses through (progress notifications arrive before the result)", async () => {
    const progress: number[] = [];
    const r = await client.callTool(
      { name: "echo", arguments: { text: "s", steps: 3 } },
      undefined,
      {
        onprogress: (p) => progress.push(p.progress),
      },
    );
    expect(r.structuredContent).toEqual({ text: "s" });
    expect(progress).toEqual([1, 2, 3]);
  });

  it("rate-limits with a refusal naming the policy", async () => {
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push(
        await client.callTool({ name: "email.send", arguments: { to: `a${i}@x.test` } }),
      );
    expect(results[0]!.isError).toBeFalsy();
    expect(results[1]!.isError).toBeFalsy();
    expect(results[2]!.isError).toBe(true);
    expect(text(results[2])).toContain("email-rate");
  });

  it("audits every call twice: the decision, then the outcome", async () => {
    const before = h.audit.records.length;
    await client.callTool({ name: "echo", arguments: { text: "audited" } });
    await new Promise((r) => setTimeout(r, 50));
    const recs = h.audit.records.slice(before);
    const decision = recs.find((r) => r.type === "policy.evaluation" && r.action === "echo");
    const outcome = recs.find((r) => r.type === "agent.action" && r.action === "echo");
    expect(decision).toMatchObject({ outcome: "success", policy: { decision: "allow" } });
    expect(outcome).toMatchObject({ outcome: "success", context: { status: 200 } });
    expect(outcome!.correlation_id).toBe(decision!.correlation_id);
    expect(decision!.session_id).toBeTruthy();
  });

  it("leaves an audit log that verifies, holding exactly the records written", async () => {
    await new Promise((r) => setTimeout(r, 100));
    const report = await h.trail.verify();
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.size).toBe(h.audit.records.length);
  });
});
