/**
 * Plain HTTP tools: `POST /tools/{name}` with a JSON object of arguments, and the route table's
 * method + path patterns. Refusals are RFC 9457 problem documents: 403 denied, 429 rate limited
 * (with `Retry-After`), 202 approval pending (async), 401 unauthenticated.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DecisionInput } from "../../runtime/decision/types.js";
import { uuidv7 } from "../../runtime/ids/uuid7.js";
import type { CallContext } from "../enforce/enforcer.js";
import type { Verdict } from "../enforce/verdict.js";
import { disconnectSignal } from "./abort.js";
import { NOT_JSON, parseJsonOr400, readBodyOr413 } from "./body.js";
import { resolveCaller } from "./caller.js";
import type { DataPlaneContext } from "./context.js";
import { fetchUpstream, forwardHeaders, pipeUpstream } from "./forward.js";
import { downstreamResponseHeaders } from "./headers.js";
import { PROBLEM, sendProblem } from "./reply.js";
import { UpstreamError } from "./upstream.js";

export interface HttpCall {
  action: string;
  kind?: string;
  upstream: string;
  /** Path (and query) on the upstream. */
  path: string;
  /** Route parameters (route table) exposed as `resource.params`. */
  params?: Record<string, string>;
  /** `POST /tools/{name}`: the body must be a JSON object (the arguments). */
  argsFromBody: boolean;
}

const TOOL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$/;

/** Validates a tool name from the path (it only ever becomes a path segment upstream). */
export function toolName(raw: string): string | undefined {
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  return TOOL_NAME.test(name) ? name : undefined;
}

export async function handleHttpTool(
  ctx: DataPlaneContext,
  call: HttpCall,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBodyOr413(req, res, ctx.config.limits.maxBodyBytes);
  if (body === undefined) return;
  let args: Record<string, unknown> = {};
  if (body.length > 0) {
    const parsed = parseJsonOr400(res, body);
    if (parsed === NOT_JSON) return;
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      if (call.argsFromBody) {
        sendProblem(res, {
          type: PROBLEM.badRequest,
          title: "Invalid arguments",
          status: 400,
          detail: "the body must be a JSON object of arguments",
        });
        return;
      }
      args = { body: parsed };
    } else args = parsed as Record<string, unknown>;
  }
  const correlationId = uuidv7();
  const pendingCaller = resolveCaller(ctx, req, {
    action: call.action,
    protocol: "http",
    correlationId,
  });
  const resolved = pendingCaller instanceof Promise ? await pendingCaller : pendingCaller;
  if (!resolved.ok) {
    sendProblem(
      res,
      {
        type: PROBLEM.unauthenticated,
        title: "Unauthenticated",
        status: 401,
        detail: resolved.reason,
      },
      { "www-authenticate": "Bearer" },
    );
    return;
  }
  const kind = call.kind ?? ctx.kindOf(call.action);
  const input: DecisionInput = {
    agent: resolved.agent,
    action: kind
      ? { name: call.action, kind, phase: "call" }
      : { name: call.action, phase: "call" },
    args,
  };
  if (call.params) input.resource = { method: req.method, path: req.url, params: call.params };
  const session = req.headers["x-session-id"];
  if (typeof session === "string") input.session = { id: session };
  const justification = req.headers["x-justification"];
  if (typeof justification === "string") input.justification = justification;
  const key = req.headers["idempotency-key"];
  const callCtx: CallContext = {
    protocol: "http",
    correlationId,
    idempotencyKey: typeof key === "string" ? key : undefined,
    signal: disconnectSignal(res),
  };
  const verdict = await ctx.enforcer.check(input, callCtx);
  if (verdict.kind !== "allow") {
    refuse(res, verdict, correlationId);
    return;
  }
  const out = verdict.args !== args ? Buffer.from(JSON.stringify(verdict.args)) : body;
  const headers = forwardHeaders(ctx, req, call.upstream);
  if (out.length > 0 && !headers["content-type"]) headers["content-type"] = "application/json";
  const forward = {
    method: req.method ?? "POST",
    path: call.path,
    headers,
    body: out.length ? out : null,
  };
  const t0 = performance.now();
  try {
    let status: number;
    if (ctx.config.redaction.results && ctx.enforcer.needsResultRedaction(verdict.decision)) {
      const r = await fetchUpstream(ctx, call.upstream, forward);
      status = r.status;
      let text = r.text;
      if (String(r.headers["content-type"] ?? "").includes("json") && status < 300) {
        text = JSON.stringify(ctx.enforcer.redactResult(verdict.decision, JSON.parse(text)));
      }
      res.writeHead(status, downstreamResponseHeaders(r.headers, false));
      res.end(text);
    } else {
      status = await pipeUpstream(ctx, res, call.upstream, forward);
    }
    ctx.enforcer.outcome(input, verdict, callCtx, {
      ok: status < 400,
      status,
      latencyMs: performance.now() - t0,
    });
  } catch (e) {
    ctx.enforcer.outcome(input, verdict, callCtx, {
      ok: false,
      latencyMs: performance.now() - t0,
      error: (e as Error).message,
    });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const ue = e instanceof UpstreamError ? e : undefined;
    sendProblem(res, {
      type: PROBLEM.upstream,
      title: ue?.kind === "timeout" ? "Upstream timeout" : "Upstream error",
      status: ue?.status ?? 502,
      detail: (e as Error).message,
      upstream: call.upstream,
    });
  }
}

function refuse(
  res: ServerResponse,
  v: Exclude<Verdict, { kind: "allow" }>,
  correlationId: string,
): void {
  const common = {
    decision: v.decision.decision,
    reasons: v.decision.reasons,
    correlation_id: correlationId,
  };
  switch (v.kind) {
    case "limited":
      sendProblem(
        res,
        {
          type: PROBLEM.limited,
          title: "Rate limited",
          status: 429,
          detail: v.reason,
          policy: v.policy,
          retry_after_ms: v.retryAfterMs,
          ...common,
        },
        { "retry-after": String(Math.max(1, Math.ceil(v.retryAfterMs / 1000))) },
      );
      return;
    case "pending":
      sendProblem(res, {
        type: PROBLEM.pending,
        title: "Approval pending",
        status: 202,
        detail: v.reason,
        approval_id: v.approvalId,
        idempotency_key: v.idempotencyKey,
        ...common,
      });
      return;
    default:
      sendProblem(res, {
        type:
          v.status === 409
            ? PROBLEM.conflict
            : v.status === 503
              ? PROBLEM.unavailable
              : PROBLEM.denied,
        title:
          v.status === 409
            ? "Already forwarded"
            : v.status === 503
              ? "Unavailable (fail closed)"
              : "Denied by policy",
        status: v.status,
        detail: v.reason,
        policy: v.policy ?? null,
        ...(v.approvalId ? { approval_id: v.approvalId } : {}),
        ...common,
      });
  }
}
