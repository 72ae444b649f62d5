/**
 * Admin authentication: bearer tokens and admin JWTs resolve to a principal with roles; a missing
 * or invalid credential is a 401 problem document, reported to `onFailure` (which the sidecar
 * audits as `auth.failure`), never with the credential itself.
 */

import { Hono } from "hono";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { type AdminEnv, adminAuthenticator, requirePrincipal } from "./auth.js";

type SignKey = Parameters<SignJWT["sign"]>[0];

const TOKENS = [
  { id: "lena", token: "lead-token-0123456789", roles: ["team-lead"] },
  { id: "sam", token: "sec-token-0123456789", roles: ["security", "auditor"] },
];

describe("admin authentication", () => {
  let key: SignKey;
  let pem: string;
  beforeAll(async () => {
    const pair = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    key = pair.privateKey;
    pem = await exportSPKI(pair.publicKey);
  });

  const app = async (failures: string[]) => {
    const authenticate = await adminAuthenticator(TOKENS, {
      keys: [pem],
      issuer: "https://idp.example",
      algorithms: ["EdDSA"],
      rolesClaim: "groups",
      header: "authorization",
    });
    const a = new Hono<AdminEnv>();
    a.use(
      "*",
      requirePrincipal(authenticate, (reason) => failures.push(reason)),
    );
    a.get("/me", (c) => c.json(c.get("principal")));
    return a;
  };

  it("maps each token to its principal and roles", async () => {
    const a = await app([]);
    for (const t of TOKENS) {
      const res = await a.request("/me", { headers: { authorization: `Bearer ${t.token}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: t.id, roles: t.roles });
    }
  });

  it("accepts an admin JWT (sub → id, roles from the configured claim)", async () => {
    const a = await app([]);
    const jwt = await new SignJWT({ sub: "olga", groups: ["security"] })
      .setProtectedHeader({ alg: "EdDSA" })
      .setIssuer("https://idp.example")
      .setExpirationTime("5m")
      .sign(key);
    const res = await a.request("/me", { headers: { authorization: `Bearer ${jwt}` } });
    expect(await res.json()).toEqual({ id: "olga", roles: ["security"] });
  });

  it("answers 401 problem+json for a missing or invalid credential and reports why", async () => {
    const failures: string[] = [];
    const a = await app(failures);
    const expired = await new SignJWT({ sub: "olga", groups: ["admin"] })
      .setProtectedHeader({ alg: "EdDSA" })
      .setIssuer("https://idp.example")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    const cases: [Record<string, string>, string][] = [
      [{}, "missing admin credential"],
      [{ authorization: "Bearer lead-token-012345678" }, "invalid admin credential"],
      [{ authorization: "Bearer lead-token-0123456789x" }, "invalid admin credential"],
      [{ authorization: `Bearer ${expired}` }, "invalid admin credential"],
      [{ authorization: "Basic bGVuYTpwdw==" }, "invalid admin credential"],
    ];
    for (const [headers, reason] of cases) {
      const res = await a.request("/me", { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(await res.json()).toEqual({
        type: "https://paracle.dev/problems/unauthenticated",
        title: "Unauthenticated",
        status: 401,
        detail: reason,
      });
    }
    expect(failures).toEqual(cases.map(([, r]) => r));
    expect(failures.join()).not.toContain("token-");
  });
});
