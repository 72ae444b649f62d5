/**
 * Who is calling. A sidecar fronts one agent: by default every request is that configured agent
 * and identity headers are ignored (the agent cannot spoof another identity). In `jwt` mode each
 * request carries a signed token, verified with jose against the configured keys.
 */
import type { IncomingHttpHeaders } from "node:http";
import {
  createLocalJWKSet,
  importSPKI,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  type KeyObject,
} from "jose";
import type { AgentIdentity, JwtIdentityConfig } from "./config/types.js";

export type IdentityResult = { ok: true; agent: AgentIdentity } | { ok: false; reason: string };

export interface IdentityResolver {
  /** True when the result does not depend on the request (no await needed). */
  readonly static: boolean;
  resolve(headers: IncomingHttpHeaders): Promise<IdentityResult> | IdentityResult;
  /** The header carrying the identity (never forwarded upstream), if any. */
  readonly header?: string;
}

/** Every request is the configured agent. */
export function staticIdentity(agent: AgentIdentity): IdentityResolver {
  const result: IdentityResult = { ok: true, agent };
  return { static: true, resolve: () => result };
}

/** A verifier of compact JWTs against PEM (SPKI) public keys or JWKS documents. */
export async function jwtVerifier(
  config: JwtIdentityConfig,
): Promise<(token: string) => Promise<JWTPayload>> {
  const pems: KeyObject[] = [];
  const jwks: JWTVerifyGetKey[] = [];
  for (const text of config.keys) {
    if (text.trimStart().startsWith("{")) jwks.push(createLocalJWKSet(JSON.parse(text)));
    else {
      for (const alg of config.algorithms) {
        try {
          pems.push((await importSPKI(text, alg, { extractable: false })) as KeyObject);
          break;
        } catch {
          // try the next algorithm: the PEM does not say which one it is for
        }
      }
    }
  }
  const opts = {
    algorithms: config.algorithms,
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
  };
  return async (token) => {
    let best: unknown = new Error("no usable verification key");
    for (const key of [...pems, ...jwks]) {
      try {
        return (await jwtVerify(token, key as KeyObject, opts)).payload;
      } catch (e) {
        // report the most telling failure: a claim (exp, iss, aud) checked under a key whose
        // signature matched says more than another key's mismatch
        if (rank(e) >= rank(best)) best = e;
      }
    }
    throw best;
  };
}

/** How much a jose error says about the token (higher: the signature matched, a claim did not). */
function rank(e: unknown): number {
  const code = (e as { code?: string }).code;
  if (code === "ERR_JWT_EXPIRED" || code === "ERR_JWT_CLAIM_VALIDATION_FAILED") return 3;
  if (code === "ERR_JWKS_NO_MATCHING_KEY" || code === undefined) return 0;
  if (code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") return 1;
  return 2;
}

/** Reads the bearer token from a header value (`Bearer x` or the bare token). */
export function bearer(value: string | string[] | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(value.trim());
  return m ? m[1]!.trim() : value.trim() || undefined;
}

/** Per-request agent identities from a JWT: `sub` → id, roles from the configured claim. */
export async function jwtIdentity(
  config: JwtIdentityConfig,
  base: AgentIdentity,
): Promise<IdentityResolver> {
  const verify = await jwtVerifier(config);
  return {
    static: false,
    header: config.header,
    async resolve(headers) {
      const token = bearer(headers[config.header]);
      if (!token) return { ok: false, reason: `missing identity token in \`${config.header}\`` };
      try {
        const claims = await verify(token);
        if (typeof claims.sub !== "string" || !claims.sub) {
          return { ok: false, reason: "identity token has no `sub` claim" };
        }
        const roles = claims[config.rolesClaim];
        const agent: AgentIdentity = {
          ...base,
          id: claims.sub,
          roles: Array.isArray(roles)
            ? roles.map(String)
            : typeof roles === "string"
              ? roles.split(/[\s,]+/).filter(Boolean)
              : [],
        };
        if (typeof claims.trust_level === "number") agent.trust_level = claims.trust_level;
        if (typeof claims.owner === "string") agent.owner = claims.owner;
        return { ok: true, agent };
      } catch (e) {
        return { ok: false, reason: `invalid identity token: ${(e as Error).message}` };
      }
    },
  };
}
