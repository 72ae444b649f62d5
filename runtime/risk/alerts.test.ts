import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Decision } from "../decision/types.js";
import { PolicyEngine } from "../engine/engine.js";
import { loadBundle } from "../engine/loader.js";
import { bundleSource, writeBundle } from "../engine/test-helpers/bundle-fixture.js";
import { type Alert, alertFor } from "./alerts.js";
import { LogAlertSink } from "./alerts-log.js";
import { type AlertLabels, MetricAlertSink } from "./alerts-metrics.js";
import { WebhookAlertSink } from "./alerts-webhook.js";

const decision = (
  level: Decision["risk"]["level"],
  score: number,
  extra: Partial<Decision> = {},
): Decision => ({
  decision: "allow",
  reasons: [],
  matched: [{ id: "allow-payments", type: "allow", source: { file: "p.yaml", line: 4 } }],
  obligations: [],
  risk: { score, level, factors: [] },
  bundle: { hash: "h".repeat(64) },
  ...extra,
});
const input = {
  agent: { id: "pay-bot" },
  action: { name: "payments.refund" },
  args: { card: "4111111111111111", password: "hunter2" },
  justification: "customer asked for my SSN 123-45-6789",
  time: "2025-01-06T09:00:00.000Z",
};

describe("alertFor", () => {
  it("raises at or above the level, and on alert obligations, with ids only", () => {
    expect(alertFor(input, decision("high", 70))).toBeUndefined(); // default level: critical
    const a = alertFor(input, decision("high", 70), { minLevel: "high", newId: () => "al-1" });
    expect(a).toEqual({
      id: "al-1",
      time: "2025-01-06T09:00:00.000Z",
      level: "high",
      score: 70,
      decision: "allow",
      severity: "high",
      agent_id: "pay-bot",
      action: "payments.refund",
      policies: ["allow-payments"],
      alert_policies: [],
      messages: [],
      bundle: "h".repeat(64),
    });
    const byObligation = alertFor(
      input,
      decision("low", 5, {
        obligations: [{ type: "alert", policy: "watch-refunds", severity: "warning" }],
      }),
    );
    expect(byObligation).toMatchObject({
      alert_policies: ["watch-refunds"],
      severity: "warning",
      level: "low",
    });
    const text = JSON.stringify([a, byObligation]);
    for (const secret of ["4111111111111111", "hunter2", "123-45-6789"])
      expect(text).not.toContain(secret);
  });
});

const alert = alertFor(input, decision("critical", 95), { newId: () => "al-9" }) as Alert;

describe("LogAlertSink", () => {
  it("writes one JSON line per alert and counts writer failures", () => {
    const lines: string[] = [];
    const sink = new LogAlertSink({ write: (l) => lines.push(l) });
    sink.emit(alert);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith("\n")).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: "risk.alert",
      id: "al-9",
      level: "critical",
      score: 95,
    });
    const broken = new LogAlertSink({
      write: () => {
        throw new Error("EPIPE");
      },
    });
    expect(() => broken.emit(alert)).not.toThrow();
    expect(broken.stats()).toEqual({ written: 0, errors: 1 });
  });
});

describe("MetricAlertSink", () => {
  it("counts by level, severity and decision and feeds a prom-client-like counter", () => {
    const seen: AlertLabels[] = [];
    const sink = new MetricAlertSink({ counter: { inc: (labels) => seen.push(labels) } });
    sink.emit(alert);
    sink.emit(alert);
    sink.emit({ ...alert, decision: "deny" });
    expect(sink.counts()).toEqual([
      { labels: { level: "critical", severity: "critical", decision: "allow" }, value: 2 },
      { labels: { level: "critical", severity: "critical", decision: "deny" }, value: 1 },
    ]);
    expect(seen).toHaveLength(3);
    expect(sink.stats()).toEqual({ total: 3, errors: 0 });
  });
});

describe("WebhookAlertSink (real HTTP on 127.0.0.1)", () => {
  let server: Server | undefined;
  const hanging = new Set<ServerResponse>();
  afterEach(async () => {
    for (const res of hanging) res.destroy();
    hanging.clear();
    const closing = new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server?.closeAllConnections(); // idle keep-alive sockets would hold close() for 5 s
    await closing;
    server = undefined;
  });

  async function listen(
    handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
  ) {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => handler(req, res, body));
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  }

  it("retries with back-off: fails twice, then delivers", async () => {
    const bodies: string[] = [];
    const url = await listen((req, res, body) => {
      bodies.push(body);
      expect(req.headers["content-type"]).toBe("application/json");
      expect(req.headers.authorization).toBe("Bearer t0k");
      res.writeHead(bodies.length <= 2 ? 503 : 204).end();
    });
    const sink = new WebhookAlertSink({
      url,
      baseDelayMs: 5,
      headers: { authorization: "Bearer t0k" },
    });
    sink.emit(alert);
    await sink.drain();
    expect(bodies).toHaveLength(3);
    expect(JSON.parse(bodies[2]!)).toEqual(alert);
    expect(sink.stats()).toEqual({ delivered: 1, failed: 0, retries: 2, dropped: 0, pending: 0 });
  });

  it("gives up after maxAttempts, and does not retry a 400", async () => {
    let hits = 0;
    const url = await listen((_req, res) => {
      hits++;
      res.writeHead(hits <= 3 ? 500 : 400).end();
    });
    const sink = new WebhookAlertSink({ url, baseDelayMs: 2, maxAttempts: 3 });
    sink.emit(alert);
    await sink.drain();
    expect(hits).toBe(3);
    sink.emit(alert);
    await sink.drain();
    expect(hits).toBe(4);
    expect(sink.stats()).toMatchObject({ delivered: 0, failed: 2, retries: 2 });
  });

  it("never blocks the caller when the webhook hangs; bounded pending, timeouts counted", async () => {
    const url = await listen((_req, res) => hanging.add(res));
    const sink = new WebhookAlertSink({
      url,
      timeoutMs: 100,
      maxAttempts: 2,
      baseDelayMs: 1,
      maxPending: 2,
    });
    // emit returns nothing to await; the deliveries are still pending against a server that hangs
    expect(sink.emit(alert)).toBeUndefined();
    sink.emit(alert);
    sink.emit(alert); // over maxPending: dropped
    expect(sink.stats()).toMatchObject({ pending: 2, dropped: 1 });
    await sink.drain();
    expect(sink.stats()).toMatchObject({ delivered: 0, failed: 2, retries: 2, pending: 0 });
  });

  it("a PolicyEngine decision is not blocked by a hanging webhook", async () => {
    const url = await listen((_req, res) => hanging.add(res));
    const sink = new WebhookAlertSink({ url, timeoutMs: 200, maxAttempts: 1 });
    const bundle = await loadBundle(
      writeBundle(
        bundleSource(
          `return { decision: "allow", risk: { score: 99, level: "critical", factors: [] } };`,
        ),
      ).dir,
    );
    const engine = new PolicyEngine({ bundle, alerts: [sink] });
    // decide is synchronous: it returned while the webhook delivery is still pending
    const d = engine.decide({ agent: { id: "a" }, action: { name: "x" } });
    expect(d.decision).toBe("allow");
    expect(sink.stats()).toMatchObject({ pending: 1 });
    await sink.drain();
    expect(sink.stats()).toMatchObject({ failed: 1, pending: 0 });
  });

  it("counts a connection refused as a failure", async () => {
    const url = await listen((_req, res) => res.end());
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const sink = new WebhookAlertSink({ url, maxAttempts: 2, baseDelayMs: 1 });
    sink.emit(alert);
    await sink.drain();
    expect(sink.stats()).toMatchObject({ delivered: 0, failed: 1 });
  });
});
