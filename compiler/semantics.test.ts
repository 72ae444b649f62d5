import { describe, expect, test } from "vitest";
import { compileBundle, SET } from "./test-support.js";

const agent = { id: "bot", roles: ["dev"] };
const call = (name: string, extra: Record<string, unknown> = {}) => ({
  agent,
  action: { name },
  time: "2026-01-05T10:00:00Z", // a Monday, 11:00 in Paris
  ...extra,
});

describe("decision semantics", () => {
  test("nothing permits ⇒ defaults (deny unless said); deny beats allow", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}defaults: { reason: nope }\npolicies:\n  - { id: ok, type: allow, match: { actions: ["fs.*"] } }\n  - { id: no, type: deny, match: { actions: [fs.rm] } }\n`,
    });
    expect(bundle.decide(call("db.x"))).toMatchObject({
      decision: "deny",
      reasons: ["nope"],
      matched: [],
    });
    expect(bundle.decide(call("fs.read")).decision).toBe("allow");
    const d = bundle.decide(call("fs.rm"));
    expect(d.decision).toBe("deny");
    expect(d.matched.map((m) => m.id)).toEqual(["ok", "no"]);
  });

  test("a condition error fails closed: deny matches, allow does not, error reported", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:\n  - { id: ok, type: allow, when: args.n > 1 }\n  - { id: no, type: deny, when: args.m > 1 }\n`,
    });
    const d = bundle.decide(call("x", { args: {} }));
    expect(d.decision).toBe("deny");
    expect(d.matched.map((m) => [m.id, typeof m.error])).toEqual([["no", "string"]]);
    expect(d.errors?.map((e) => e.policy)).toEqual(["ok", "no"]);
  });

  test("require_approval permits with an approval resolved from templates and by_risk", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:\n  - id: pay\n    type: require_approval\n    match: { actions: [pay] }\n    approval: { template: t, timeout: 5m, by_risk: { critical: t2 } }\n---\napiVersion: paracle.dev/v1\nkind: ApprovalTemplate\nmetadata: { name: t }\nspec: { levels: [{ roles: [lead] }], timeout: 1h, reminders: [10m] }\n---\napiVersion: paracle.dev/v1\nkind: ApprovalTemplate\nmetadata: { name: t2 }\nspec: { levels: [{ roles: [cfo], required: 2, of: 3 }] }\n`,
    });
    const d = bundle.decide(call("pay"));
    expect(d.decision).toBe("require_approval");
    expect(d.approval).toEqual({
      policy: "pay",
      levels: [{ roles: ["lead"] }],
      timeout_ms: 300_000,
      reminders_ms: [600_000],
      template: "t",
      by_risk: { critical: "t2" },
    });
  });

  test("obligations accumulate: audit, redact, alert, rate_limit, quota (amount evaluated)", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:
  - { id: ok, type: allow }
  - { id: au, type: audit, audit: { tags: [t] } }
  - { id: rd, type: redact, redact: { paths: [args.card], detectors: [credit_card] } }
  - { id: al, type: alert, alert: { severity: high, channels: [log] } }
  - { id: rl, type: rate_limit, rate_limit: { limit: 3, window: 1m, per: [agent, tool] } }
  - { id: qt, type: quota, quota: { limit: 100, window: 1d, amount: "args.amount * 2" } }
`,
    });
    const d = bundle.decide(call("x", { args: { amount: 7 } }));
    expect(d.decision).toBe("allow");
    expect(d.obligations).toEqual([
      { type: "audit", policy: "au", tags: ["t"], keep_args: true },
      {
        type: "redact",
        policy: "rd",
        paths: ["args.card"],
        detectors: ["credit_card"],
        in: ["args", "result"],
      },
      {
        type: "alert",
        policy: "al",
        severity: "high",
        channels: ["log"],
        message: "policy `al` matched",
      },
      { type: "rate_limit", policy: "rl", limit: 3, window_ms: 60_000, per: ["agent", "tool"] },
      {
        type: "quota",
        policy: "qt",
        limit: 100,
        window_ms: 86_400_000,
        per: ["agent"],
        amount: 14,
      },
    ]);
    // an amount that cannot be evaluated denies
    const bad = bundle.decide(call("x", { args: {} }));
    expect(bad.decision).toBe("deny");
    expect(bad.reasons).toEqual(["the quota amount could not be evaluated"]);
  });

  test("time_window, require_justification and max_risk gate; dry_run records only", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:
  - { id: ok, type: allow }
  - id: hours
    type: time_window
    match: { actions: [deploy] }
    time_window: { timezone: Europe/Paris, days: [mon, tue, wed, thu, fri], hours: "08:00-19:00" }
  - { id: why, type: require_justification, match: { actions: [sudo] }, require_justification: { min_length: 5 } }
  - { id: risky, type: max_risk, max_risk: { score: 50, effect: require_approval } }
  - { id: dry, type: dry_run, match: { actions: [sudo] }, dry_run: { effect: deny } }
`,
    });
    expect(bundle.decide(call("deploy")).decision).toBe("allow"); // Monday 11:00 Paris
    const night = bundle.decide(call("deploy", { time: "2026-01-05T20:30:00Z" }));
    expect(night).toMatchObject({
      decision: "deny",
      reasons: ["outside the time window of policy `hours`"],
    });
    expect(bundle.decide(call("deploy", { time: "2026-01-04T10:00:00Z" })).decision).toBe("deny"); // Sunday
    expect(bundle.decide(call("sudo", { justification: "fix" })).decision).toBe("deny");
    const sudo = bundle.decide(call("sudo", { justification: "fix prod" }));
    expect(sudo.decision).toBe("allow");
    expect(sudo.dry_run).toEqual([{ policy: "dry", decision: "deny" }]);
  });

  test("inheritance: override by id, disable, constants are lexically scoped", async () => {
    const { bundle } = await compileBundle({
      "base.yaml": `${SET("base")}constants: { limit: 10 }\npolicies:\n  - { id: small, type: allow, when: "args.n < limit" }\n  - { id: audit-all, type: audit }\n  - { id: no-rm, type: deny, match: { actions: [rm] } }\n`,
      "team.yaml": `${SET("team")}extends: [base]\nconstants: { limit: 1000 }\npolicies:\n  - { id: audit-all, enabled: false }\n  - { id: no-rm, type: deny, match: { actions: ["*"] }, reason: stricter }\n`,
    });
    expect(bundle.metadata.policies).toEqual(["no-rm", "small"]);
    expect(bundle.decide(call("x", { args: { n: 50 } })).decision).toBe("deny"); // base's limit (10) applies
    expect(bundle.decide(call("x", { args: { n: 5 } })).reasons).toEqual(["stricter"]);
  });

  test("time defaults to now when absent", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:\n  - { id: ok, type: allow, when: "time > timestamp('2000-01-01T00:00:00Z')" }\n`,
    });
    expect(bundle.decide({ agent, action: { name: "x" } }).decision).toBe("allow");
  });

  test("malformed input is denied with an error, never throws", async () => {
    const { bundle } = await compileBundle({
      "a.yaml": `${SET("a")}policies:\n  - { id: ok, type: allow }\n`,
    });
    for (const bad of [null, 1, "x", {}, { action: {} }, { action: { name: 3 } }]) {
      const d = bundle.decide(bad as never);
      expect(d.decision).toBe("deny");
      expect(d.errors?.[0]?.policy).toBe("input");
    }
  });
});

describe("static analysis", () => {
  test("warnings, and errors with strict", async () => {
    const files = {
      "a.yaml": `${SET("a")}constants: { unused: 1 }\nactions: [{ name: db.read }]\npolicies:
  - { id: all, type: deny }
  - { id: later, type: allow, match: { actions: [db.read] } }
  - { id: never, type: deny, match: { actions: [db.read] }, when: "args.x > 5 && args.x < 3" }
  - { id: typo, type: audit, match: { actions: ["bd.*"] } }
`,
    };
    const { result } = await compileBundle(files);
    const ws = result.diagnostics.map(
      (d) => `${d.span.line}:${d.span.col} ${d.severity}[${d.code}] ${d.message}`,
    );
    expect(ws).toEqual([
      "4:14 warning[unused-constant] constant `unused` is never used",
      "8:11 warning[allow-deny-conflict] policies `later` (allow) and `never` (deny) have the same match",
      "8:11 warning[shadowed-rule] policy `later` can never change the decision: it is shadowed by `all`",
      "9:11 warning[shadowed-rule] policy `never` can never change the decision: it is shadowed by `all`",
      "9:67 warning[never-matches] policy condition can never be true: the bounds on `args.x` contradict each other",
      "10:49 warning[never-matches] action pattern `bd.*` matches no action of the declared catalogue",
    ]);
    await expect(compileBundle(files, { strict: true })).rejects.toThrow(
      /error\[unused-constant\]/,
    );
  });
});
