/**
 * Webhooks wired from the sidecar config (issue 6 §7, issue 7 §5): `approvals.webhook` reaches
 * the ApprovalService's WebhookNotifier and `alerts.webhook` the engine's WebhookAlertSink. A real
 * HTTP receiver on 127.0.0.1 records what arrives: configured headers, no argument values.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  FIXTURE_POLICIES,
  type Harness,
  json,
  startHarness,
  TOKENS,
} from "./proxy-helpers/harness.js";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

async function receiver(): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      got.push({ path: req.url ?? "", headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, server };
}

const ALERT_POLICY = `apiVersion: paracle.dev/v1
kind: PolicySet
metadata:
  name: alerts
policies:
  - id: alert-email
    type: alert
    match:
      actions: ["email.send"]
    alert:
      severity: high
      message: an agent sent an email
`;

describe("webhooks from the sidecar config", () => {
  let h: Harness;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let policies: string;
  beforeAll(async () => {
    hook = await receiver();
    policies = mkdtempSync(join(tmpdir(), "paracle-hooks-"));
    mkdirSync(policies, { recursive: true });
    copyFileSync(join(FIXTURE_POLICIES, "tools.yaml"), join(policies, "tools.yaml"));
    writeFileSync(join(policies, "alerts.yaml"), ALERT_POLICY);
    h = await startHarness(
      {
        approvals: {
          mode: "async",
          hold_timeout: "20s",
          webhook: { url: `${hook.url}/approvals`, headers: { "x-hook-key": "approvals-key" } },
        },
        alerts: { webhook: { url: `${hook.url}/alerts`, headers: { "x-hook-key": "alerts-key" } } },
      },
      { policies },
    );
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((r) => hook?.server.close(r));
    rmSync(policies, { recursive: true, force: true });
  });

  it("POSTs approval notifications with the configured headers and without arguments", async () => {
    const res = await fetch(`${h.sidecar.url}/tools/files.delete`, {
      method: "POST",
      body: JSON.stringify({ path: "/srv/secret-plans.txt" }),
    });
    expect(res.status).toBe(202);
    const id = (await json(res)).approval_id as string;
    const got = (await eventually(() => hook.got.find((g) => g.path === "/approvals")))!;
    expect(got.headers["x-hook-key"]).toBe("approvals-key");
    expect(got.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({
      kind: "requested",
      request: { id, action: "files.delete", agent: "support-bot", roles: ["team-lead"] },
    });
    expect(got.body).not.toContain("secret-plans");

    expect(
      (await h.admin(`/v1/approvals/${id}/reject`, { body: { reason: "no" }, token: TOKENS.lead }))
        .status,
    ).toBe(200);
    const decided = (await eventually(() =>
      hook.got.find((g) => g.path === "/approvals" && JSON.parse(g.body).kind === "decided"),
    ))!;
    expect(JSON.parse(decided.body).request).toMatchObject({ id, state: "rejected" });
  });

  it("POSTs alerts raised by `alert` obligations, carrying ids and never argument values", async () => {
    const res = await fetch(`${h.sidecar.url}/tools/email.send`, {
      method: "POST",
      body: JSON.stringify({ to: "ceo@private.example", body: "quarterly numbers" }),
    });
    expect(res.status).toBe(200);
    const got = (await eventually(() => hook.got.find((g) => g.path === "/alerts")))!;
    expect(got.headers["x-hook-key"]).toBe("alerts-key");
    expect(JSON.parse(got.body)).toMatchObject({
      agent_id: "support-bot",
      action: "email.send",
      severity: "high",
      alert_policies: ["alert-email"],
      messages: ["an agent sent an email"],
    });
    expect(got.body).not.toContain("ceo@private.example");
    expect(got.body).not.toContain("quarterly");
  });
});
