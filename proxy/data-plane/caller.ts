/**
 * The caller's identity for one request (static agent, or a verified JWT). A refused identity is
 * audited as `auth.failure` here, once for every protocol; each adapter answers in its own way
 * (problem+json 401, JSON-RPC -32004).
 */
import type { IncomingMessage } from "node:http";
import type { IdentityResult } from "../identity.js";
import type { DataPlaneContext } from "./context.js";

/** Synchronous when the identity is (static mode: no promise on the hot path). */
export function resolveCaller(
  ctx: DataPlaneContext,
  req: IncomingMessage,
  audit: { action: string; protocol: string; correlationId?: string },
): IdentityResult | Promise<IdentityResult> {
  const pending = ctx.identity.resolve(req.headers);
  if (pending instanceof Promise) return pending.then((who) => refused(ctx, who, audit));
  return pending.ok ? pending : refused(ctx, pending, audit);
}

async function refused(
  ctx: DataPlaneContext,
  who: IdentityResult,
  audit: { action: string; protocol: string; correlationId?: string },
): Promise<IdentityResult> {
  if (who.ok) return who;
  const event: Parameters<DataPlaneContext["enforcer"]["event"]>[0] = {
    type: "auth.failure",
    actor: { id: "unknown", kind: "agent" },
    action: audit.action,
    outcome: "failure",
    context: { protocol: audit.protocol, reason: who.reason },
  };
  if (audit.correlationId) event.correlation_id = audit.correlationId;
  await ctx.enforcer.event(event);
  return who;
}
