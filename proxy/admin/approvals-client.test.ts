/**
 * The admin-side client, text formats and dashboard (runtime/approvals/client) against the real
 * approval routes on loopback, and the `paracle approvals` commands on top of them.
 */
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { serve } from "@hono/node-server";
import { Command } from "commander";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { registerApprovals } from "../../cli/commands/approvals.js";
import {
  ApprovalsClient,
  formatList,
  formatRequest,
  formatStats,
  renderDashboard,
  runDashboard,
} from "../../runtime/approvals/client/index.js";
import { decisionFor, inputFor } from "../../runtime/approvals/test-helpers/fixtures.js";
import { type Harness, harness } from "../../runtime/approvals/test-helpers/harness.js";
import { approvalRoutes } from "./approvals.js";
import type { AdminEnv } from "./auth.js";

const TOKENS: Record<string, { id: string; roles: string[] }> = {
  "t-lea": { id: "lea", roles: ["lead"] },
  "t-sam": { id: "sam", roles: ["security"] },
};

let close: (() => void) | undefined;
afterEach(() => close?.());

async function serveRoutes(h: Harness): Promise<string> {
  const app = new Hono<AdminEnv>();
  app.use(async (c, next) => {
    const p = TOKENS[c.req.header("authorization")?.replace(/^Bearer /, "") ?? ""];
    if (p) c.set("principal", p);
    await next();
  });
  app.route("/v1/approvals", approvalRoutes(h.service));
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  close = () => server.close();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const chain = { levels: [{ roles: ["lead"] }, { roles: ["security"], required: 2, of: 3 }] };

describe("ApprovalsClient", () => {
  it("drives the routes and surfaces problem details as errors", async () => {
    const h = await harness();
    const url = await serveRoutes(h);
    const r = await h.service.request({
      input: inputFor(),
      decision: decisionFor(chain, { level: "critical" }),
    });
    const lea = new ApprovalsClient({ url, token: "t-lea" });
    expect((await lea.list()).map((x) => x.id)).toEqual([r.id]);
    expect((await lea.approve(r.id, "fine")).currentLevel).toBe(1);
    await expect(lea.approve(r.id)).rejects.toMatchObject({
      status: 403,
      code: "approval_not_eligible",
      message: expect.stringContaining("may not vote on level 2"),
    });
    await expect(new ApprovalsClient({ url, token: "bad" }).list()).rejects.toMatchObject({
      status: 401,
    });
    await expect(
      new ApprovalsClient({ url: "http://127.0.0.1:1", token: "t" }).list(),
    ).rejects.toMatchObject({
      status: 0,
      message: expect.stringContaining(
        "cannot reach the admin API at `http://127.0.0.1:1/v1/approvals`",
      ),
    });
    const stats = await lea.stats();
    expect(stats.byState.pending).toBe(1);
    const now = h.clock.now();
    const list = formatList(await lea.list(), now);
    expect(list.split("\n")[0]).toMatch(
      /^ID\s+PRIORITY\s+STATE\s+AGENT\s+ACTION\s+RISK\s+LEVEL\s+AGE\s+EXPIRES$/,
    );
    expect(list).toContain("2/2 security 0/2");
    const detail = formatRequest(await lea.get(r.id), now);
    expect(detail).toContain("[done] 1. lead, 1");
    expect(detail).toContain("[open] 2. security, 2 of 3");
    expect(detail).toContain("level 1: approve by lea (fine)");
    expect(formatStats(stats)).toContain("approval rate     -");
  });
});

describe("dashboard", () => {
  it("renders open requests grouped by priority with the selection highlighted", () => {
    const base = { now: 10_000, width: 120, height: 20, source: "test", updatedAt: 9_000 };
    const screen = renderDashboard({ ...base, requests: [], selected: 0 });
    expect(screen.startsWith("\x1b[H\x1b[2J")).toBe(true);
    expect(screen).toContain("nothing waiting for approval");
  });

  it("approves with `a`, rejects with `r` + reason, quits with `q`", async () => {
    const h = await harness();
    const url = await serveRoutes(h);
    const urgent = await h.service.request({
      input: inputFor(),
      decision: decisionFor({}, { level: "critical" }),
    });
    const low = await h.service.request({
      input: inputFor(),
      decision: decisionFor({}, { level: "low" }),
    });
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = "";
    output.on("data", (d: Buffer) => {
      screen += d.toString();
    });
    const done = runDashboard({
      client: new ApprovalsClient({ url, token: "t-lea" }),
      input,
      output,
      intervalMs: 60_000,
    });
    const waitFor = async (pred: () => boolean | Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await pred()); i++) await new Promise((r) => setTimeout(r, 10));
      expect(await pred()).toBe(true);
    };
    await waitFor(() => screen.includes("URGENT (1)") && screen.includes("LOW (1)"));
    expect(screen.indexOf("URGENT (1)")).toBeLessThan(screen.indexOf("LOW (1)"));
    input.write("a");
    await waitFor(async () => (await h.service.get(urgent.id)).state === "approved");
    await waitFor(() => screen.includes(`${urgent.id}: approved (now approved)`));
    input.write("r");
    input.write("too late");
    input.write("\r");
    await waitFor(async () => (await h.service.get(low.id)).state === "rejected");
    expect((await h.service.get(low.id)).reason).toBe("too late");
    input.write("q");
    await done;
    expect(screen.endsWith("\x1b[?25h\x1b[?1049l")).toBe(true);
  });
});

describe("paracle approvals", () => {
  it("lists, approves and prints stats against a running admin API", async () => {
    const h = await harness();
    const url = await serveRoutes(h);
    const r = await h.service.request({ input: inputFor(), decision: decisionFor() });
    const out: string[] = [];
    const err: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
    const cli = async (...args: string[]) => {
      const program = new Command("paracle").exitOverride();
      registerApprovals(program);
      await program.parseAsync(["node", "paracle", "approvals", ...args, "--url", url]);
    };
    try {
      process.env.PARACLE_ADMIN_TOKEN = "t-lea";
      await cli("list", "--json");
      expect(JSON.parse(out.join(""))[0].id).toBe(r.id);
      out.length = 0;
      await cli("approve", r.id, "--token", "t-sam");
      expect(err.join("")).toContain("error: `sam` may not vote on level 1");
      expect(process.exitCode).toBe(1);
      process.exitCode = 0;
      await cli("approve", r.id, "--reason", "ok");
      expect(out.join("")).toBe(`${r.id}: approved\n`);
      out.length = 0;
      await cli("stats");
      expect(out.join("")).toContain("approval rate     100.0%");
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
      delete process.env.PARACLE_ADMIN_TOKEN;
      process.exitCode = 0;
    }
  });
});
