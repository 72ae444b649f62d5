// End to end: YAML policies compiled and signed by the compiler, loaded and verified by the
// runtime loader, enforced by PolicyEngine (rate limit, quota, history, redaction, alerts).
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compilePolicyDir, writeBundle } from "../compiler/index.js";
import {
  type Alert,
  type AlertSink,
  type LoadedBundle,
  loadBundle,
  ManualClock,
  PolicyEngine,
  PolicyEvaluator,
  redact,
} from "../runtime/index.js";

const POLICIES = `apiVersion: paracle.dev/v1
kind: PolicySet
metadata: { name: e2e, version: 1.0.0 }
policies:
  - id: allow-reads
    type: allow
    match: { actions: ["*.read"] }
  - id: email-rate
    type: rate_limit
    match: { actions: [email.send] }
    rate_limit: { limit: 2, window: 1m, per: [agent] }
  - id: allow-email
    type: allow
    match: { actions: [email.send] }
  - id: refund-budget
    type: quota
    match: { actions: [payments.refund] }
    quota: { limit: 500, window: 1d, amount: args.amount, per: [agent] }
  - id: allow-refunds
    type: allow
    match: { actions: [payments.refund] }
  - id: mask-pii
    type: redact
    match: { actions: [email.send] }
    redact: { paths: [args.password], detectors: [email], in: [args] }
  - id: too-many-denials
    type: deny
    when: history.denials >= 3
    reason: this agent was denied too often
  - id: watch-refunds
    type: alert
    match: { actions: [payments.refund] }
    alert: { severity: high, message: refund issued }
`;

async function compileSigned(): Promise<{ dir: string; publicPem: string }> {
  const src = mkdtempSync(join(tmpdir(), "paracle-e2e-src-"));
  writeFileSync(join(src, "policies.yaml"), POLICIES);
  const result = await compilePolicyDir(src);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const out = join(mkdtempSync(join(tmpdir(), "paracle-e2e-out-")), "bundle");
  await writeBundle(result, out, privateKey.export({ type: "pkcs8", format: "pem" }).toString());
  return { dir: out, publicPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}

describe("compiled bundle through the runtime engine", () => {
  let bundle: LoadedBundle;
  beforeAll(async () => {
    const { dir, publicPem } = await compileSigned();
    bundle = await loadBundle(dir, { publicKey: publicPem, requireSignature: true });
  });

  const agent = (id: string) => ({ id, roles: [] as string[] });

  it("loads the signed bundle and decides", () => {
    expect(bundle.signed).toBe(true);
    expect(bundle.manifest.policies).toContain("email-rate");
    const engine = new PolicyEngine({
      bundle,
      clock: new ManualClock(Date.parse("2025-01-06T09:00:00Z")),
    });
    const d = engine.decide({ agent: agent("a"), action: { name: "db.read" } });
    expect(d.decision).toBe("allow");
    expect(d.bundle.hash).toBe(bundle.hash);
    expect(engine.decide({ agent: agent("a"), action: { name: "db.drop" } }).decision).toBe("deny");
  });

  it("enforces the compiled rate limit: 2 per minute per agent", () => {
    const clock = new ManualClock(Date.parse("2025-01-06T09:00:00Z"));
    const engine = new PolicyEngine({ bundle, clock });
    const send = (id = "a") =>
      engine.decide({ agent: agent(id), action: { name: "email.send" }, args: { to: "x" } });
    expect(send().decision).toBe("allow");
    clock.advance(10_000);
    expect(send().decision).toBe("allow");
    const limited = send();
    expect(limited.decision).toBe("deny");
    expect(limited.limited).toEqual({
      policy: "email-rate",
      kind: "rate_limit",
      retry_after_ms: 50_000,
    });
    expect(send("b").decision).toBe("allow");
    clock.advance(50_000);
    expect(send().decision).toBe("allow");
  });

  it("enforces the compiled quota over args.amount, and alerts on refunds", () => {
    const alerts: Alert[] = [];
    const sink: AlertSink = { name: "collect", emit: (a) => alerts.push(a) };
    const clock = new ManualClock(Date.parse("2025-01-06T09:00:00Z"));
    const engine = new PolicyEngine({ bundle, clock, alerts: [sink] });
    const refund = (amount: number) =>
      engine.decide({ agent: agent("a"), action: { name: "payments.refund" }, args: { amount } });
    expect(refund(400).decision).toBe("allow");
    const over = refund(101);
    expect(over.decision).toBe("deny");
    expect(over.limited).toEqual({
      policy: "refund-budget",
      kind: "quota",
      retry_after_ms: 15 * 3_600_000,
    });
    expect(refund(100).decision).toBe("allow");
    expect(alerts.map((a) => [a.decision, a.alert_policies, a.messages])).toEqual([
      ["allow", ["watch-refunds"], ["refund issued"]],
      ["deny", ["watch-refunds"], ["refund issued"]],
      ["allow", ["watch-refunds"], ["refund issued"]],
    ]);
    expect(JSON.stringify(alerts)).not.toContain("amount");
  });

  it("feeds history to conditions: denied three times, then denied by history", () => {
    const engine = new PolicyEngine({
      bundle,
      clock: new ManualClock(Date.parse("2025-01-06T09:00:00Z")),
    });
    for (let i = 0; i < 3; i++)
      engine.decide({ agent: agent("c"), action: { name: "shell.exec" } });
    const d = engine.decide({ agent: agent("c"), action: { name: "db.read" } });
    expect(d.decision).toBe("deny");
    expect(d.matched.map((m) => m.id)).toContain("too-many-denials");
    // the stateless evaluator only sees the history it is given
    const evaluator = new PolicyEvaluator(bundle);
    expect(
      evaluator.evaluate({
        agent: agent("c"),
        action: { name: "db.read" },
        history: { calls: 0, denials: 0, errors: 0, rate: 0, anomaly: 0 },
      }).decision,
    ).toBe("allow");
  });

  it("redacts arguments with the compiled redact obligation", () => {
    const engine = new PolicyEngine({ bundle });
    const input = {
      agent: agent("r"),
      action: { name: "email.send" },
      args: { password: "pw", body: "reach me at ada@example.com" },
    };
    const d = engine.decide(input);
    expect(d.decision).toBe("allow");
    expect(redact(input.args, d.obligations, "args")).toEqual({
      password: "[REDACTED]",
      body: "reach me at [REDACTED:email]",
    });
    expect(redact({ echo: "ada@example.com" }, d.obligations, "result")).toEqual({
      echo: "ada@example.com",
    });
  });
});
