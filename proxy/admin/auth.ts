/**
 * Admin authentication: a bearer token from the config/environment (compared in constant time on
 * its SHA-256) or a JWT verified with jose (roles from the configured claim). Sets
 * `c.get("principal")` = `{ id, roles }` for the routes behind it.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AdminToken, JwtIdentityConfig } from "../config/types.js";
import { bearer, jwtVerifier } from "../identity.js";

/** Who is calling the admin API. */
export interface Principal {
  id: string;
  roles: string[];
}

export type AdminEnv = { Variables: { principal: Principal } };

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Resolves a bearer credential to a principal, or undefined. */
export type Authenticator = (token: string) => Promise<Principal | undefined>;

export async function adminAuthenticator(
  tokens: AdminToken[],
  jwt?: JwtIdentityConfig,
): Promise<Authenticator> {
  const known = tokens.map((t) => ({ ...t, digest: digest(t.token) }));
  const verify = jwt ? await jwtVerifier(jwt) : undefined;
  return async (token) => {
    const d = digest(token);
    let found: Principal | undefined;
    for (const t of known) {
      // every token is compared, so timing does not reveal which one matched
      if (timingSafeEqual(d, t.digest) && !found) found = { id: t.id, roles: [...t.roles] };
    }
    if (found) return found;
    if (verify && token.split(".").length === 3) {
      try {
        const claims = await verify(token);
        const roles = claims[jwt!.rolesClaim];
        if (typeof claims.sub !== "string") return undefined;
        return {
          id: claims.sub,
          roles: Array.isArray(roles)
            ? roles.map(String)
            : typeof roles === "string"
              ? roles.split(/[\s,]+/).filter(Boolean)
              : [],
        };
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
}

/** Called on each refused admin request (the sidecar audits it as `auth.failure`). */
export type AuthFailureHandler = (
  reason: string,
  request: { method: string; path: string },
) => unknown;

/** Hono middleware: 401 problem without a valid credential. */
export function requirePrincipal(
  authenticate: Authenticator,
  onFailure?: AuthFailureHandler,
): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const token = bearer(c.req.header("authorization"));
    const principal = token ? await authenticate(token) : undefined;
    if (!principal) {
      const reason = token ? "invalid admin credential" : "missing admin credential";
      // the refusal is recorded before it is answered (never with the presented credential)
      await onFailure?.(reason, { method: c.req.method, path: c.req.path });
      return c.json(
        {
          type: "https://paracle.dev/problems/unauthenticated",
          title: "Unauthenticated",
          status: 401,
          detail: reason,
        },
        401,
        { "content-type": "application/problem+json", "www-authenticate": "Bearer" },
      );
    }
    c.set("principal", principal);
    await next();
  };
}
