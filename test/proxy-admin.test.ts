/**
 * The admin listener of a running sidecar: unauthenticated calls are 401 problem documents and
 * leave an `auth.failure` record (without the presented credential); a token's principal reaches
 * the routes; health, readiness and bundle status answer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, json, startHarness, TOKENS } from "./proxy-helpers/harness.js";

describe("admin listener", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it("refuses missing and invalid tokens with 401 and audits each as auth.failure", async () => {
    const before = h.audit.records.filter((r) => r.type === "auth.failure").length;
    const missing = await fetch(`${h.sidecar.adminUrl}/v1/approvals`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect(await json(missing)).toMatchObject({ status: 401, detail: "missing admin credential" });
    const wrong = "wrong-token-0123456789abcdef";
    const invalid = await h.admin("/v1/bundle", { token: wrong });
    expect(invalid.status).toBe(401);
    expect((await json(invalid)).detail).toBe("invalid admin credential");
    const failures = h.audit.records.filter((r) => r.type === "auth.failure").slice(before);
    expect(failures).toMatchObject([
      {
        action: "admin",
        outcome: "failure",
        context: { reason: "missing admin credential", method: "GET", path: "/v1/approvals" },
      },
      {
        action: "admin",
        outcome: "failure",
        context: { reason: "invalid admin credential", method: "GET", path: "/v1/bundle" },
      },
    ]);
    expect(JSON.stringify(h.audit.records)).not.toContain(wrong);
  });

  it("serves the routes to a valid token, health without one", async () => {
    const bundle = await h.admin("/v1/bundle", { token: TOKENS.lead });
    expect(bundle.status).toBe(200);
    expect(await json(bundle)).toMatchObject({ hash: h.sidecar.engine.bundle.hash, signed: false });
    const list = await h.admin("/v1/approvals", { token: TOKENS.lead });
    expect(list.status).toBe(200);
    expect(await json(list)).toEqual({ count: 0, requests: [] });
    expect(await json(await fetch(`${h.sidecar.adminUrl}/healthz`))).toMatchObject({
      status: "ok",
      checks: { audit: "ok", in_flight: 0 },
    });
    expect((await fetch(`${h.sidecar.adminUrl}/readyz`)).status).toBe(200);
    expect(JSON.stringify(h.audit.records)).not.toContain(TOKENS.lead);
  });
});
