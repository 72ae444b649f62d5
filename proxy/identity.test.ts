/**
 * Identity resolution: the static agent cannot be replaced by any header; JWT mode verifies
 * compact JWTs with jose against PEM and JWKS keys (real Ed25519/ES256 keys, real signatures).
 */
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { JwtIdentityConfig } from "./config/types.js";
import { bearer, jwtIdentity, staticIdentity } from "./identity.js";

type SignKey = Parameters<SignJWT["sign"]>[0];

const agent = { id: "support-bot", roles: ["support"], trust_level: 2, owner: "olga", team: "eu" };

describe("staticIdentity", () => {
  it("is the configured agent whatever the request claims", async () => {
    const id = staticIdentity(agent);
    expect(id.static).toBe(true);
    expect(id.header).toBeUndefined();
    const spoof = {
      authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJyb290In0.",
      "x-agent-id": "root",
      "x-agent-roles": "admin",
      "x-paracle-agent": JSON.stringify({ id: "root", roles: ["admin"] }),
    };
    expect(await id.resolve(spoof)).toEqual({ ok: true, agent });
    expect(await id.resolve({})).toEqual({ ok: true, agent });
  });
});

describe("bearer", () => {
  it("reads `Bearer x`, a bare token, and nothing else", () => {
    expect(bearer("Bearer abc")).toBe("abc");
    expect(bearer("bearer   abc ")).toBe("abc");
    expect(bearer("abc")).toBe("abc");
    expect(bearer("  ")).toBeUndefined();
    expect(bearer(undefined)).toBeUndefined();
    expect(bearer(["Bearer a", "Bearer b"])).toBeUndefined();
  });
});

describe("jwtIdentity", () => {
  let ed: Awaited<ReturnType<typeof generateKeyPair>>;
  let es: Awaited<ReturnType<typeof generateKeyPair>>;
  let other: Awaited<ReturnType<typeof generateKeyPair>>;
  let config: JwtIdentityConfig;
  beforeAll(async () => {
    ed = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    es = await generateKeyPair("ES256");
    other = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const jwks = { keys: [{ ...(await exportJWK(es.publicKey)), alg: "ES256", kid: "es" }] };
    config = {
      keys: [await exportSPKI(ed.publicKey), JSON.stringify(jwks)],
      issuer: "https://idp.example",
      audience: "paracle-sidecar",
      algorithms: ["EdDSA", "ES256"],
      rolesClaim: "roles",
      header: "authorization",
    };
  });

  const sign = (
    claims: Record<string, unknown>,
    opts: {
      key?: SignKey;
      alg?: string;
      exp?: string | number;
      iss?: string;
      aud?: string;
      kid?: string;
    } = {},
  ) => {
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: opts.alg ?? "EdDSA", ...(opts.kid ? { kid: opts.kid } : {}) })
      .setIssuedAt()
      .setIssuer(opts.iss ?? "https://idp.example")
      .setAudience(opts.aud ?? "paracle-sidecar");
    jwt = jwt.setExpirationTime(opts.exp ?? "5m");
    return jwt.sign(opts.key ?? ed.privateKey);
  };

  it("maps claims onto the agent (sub, roles as list or string, trust_level, owner), keeping other attributes", async () => {
    const id = await jwtIdentity(config, agent);
    expect(id.static).toBe(false);
    expect(id.header).toBe("authorization");
    const token = await sign({
      sub: "coder-7",
      roles: ["coding", "ci"],
      trust_level: 4,
      owner: "ivan",
    });
    expect(await id.resolve({ authorization: `Bearer ${token}` })).toEqual({
      ok: true,
      agent: { id: "coder-7", roles: ["coding", "ci"], trust_level: 4, owner: "ivan", team: "eu" },
    });
    const spaced = await sign({ sub: "a", roles: "x y,z" });
    const r = await id.resolve({ authorization: `Bearer ${spaced}` });
    expect(r).toMatchObject({
      ok: true,
      agent: { id: "a", roles: ["x", "y", "z"], trust_level: 2, owner: "olga" },
    });
  });

  it("accepts keys from a JWKS document", async () => {
    const id = await jwtIdentity(config, agent);
    const token = await sign({ sub: "es-agent" }, { key: es.privateKey, alg: "ES256", kid: "es" });
    expect(await id.resolve({ authorization: token })).toMatchObject({
      ok: true,
      agent: { id: "es-agent", roles: [] },
    });
  });

  it("refuses missing, expired, foreign-issuer, wrong-audience, badly signed and sub-less tokens", async () => {
    const id = await jwtIdentity(config, agent);
    const res = async (token?: string) =>
      id.resolve(token ? { authorization: `Bearer ${token}` } : {});
    expect(await res()).toEqual({ ok: false, reason: "missing identity token in `authorization`" });
    const expired = await sign({ sub: "a" }, { exp: Math.floor(Date.now() / 1000) - 60 });
    expect(await res(expired)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^invalid identity token: .*"exp"/),
    });
    expect(await res(await sign({ sub: "a" }, { iss: "https://evil.example" }))).toEqual({
      ok: false,
      reason: expect.stringMatching(/^invalid identity token: .*"iss"/),
    });
    expect(await res(await sign({ sub: "a" }, { aud: "someone-else" }))).toEqual({
      ok: false,
      reason: expect.stringMatching(/^invalid identity token: .*"aud"/),
    });
    expect(await res(await sign({ sub: "a" }, { key: other.privateKey }))).toEqual({
      ok: false,
      reason: "invalid identity token: signature verification failed",
    });
    expect(await res(await sign({ roles: ["x"] }))).toEqual({
      ok: false,
      reason: "identity token has no `sub` claim",
    });
    // alg=none and HS256 with the public key as secret are never accepted
    const p = (await sign({ sub: "a" })).split(".")[1];
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${p}.`;
    expect((await res(none)).ok).toBe(false);
    const hs = await new SignJWT({ sub: "a" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("https://idp.example")
      .setAudience("paracle-sidecar")
      .sign(new TextEncoder().encode(config.keys[0]));
    expect((await res(hs)).ok).toBe(false);
  });

  it("reads the token from a configured header", async () => {
    const id = await jwtIdentity({ ...config, header: "x-agent-token" }, agent);
    const token = await sign({ sub: "h" });
    expect((await id.resolve({ authorization: `Bearer ${token}` })).ok).toBe(false);
    expect(await id.resolve({ "x-agent-token": token })).toMatchObject({
      ok: true,
      agent: { id: "h" },
    });
  });
});
