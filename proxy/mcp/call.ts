/**
 * `tools/call` enforcement. The decision record is committed before anything is answered or
 * forwarded; a refusal never reaches the upstream. Held calls answer over SSE with
 * `notifications/progress` while waiting when the client sent a `progressToken`
 * (MCP 2025-06-18 basic/utilities/progress).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { uuidv7 } from "../../runtime/ids/uuid7.js";
import type { McpRoute } from "../config/types.js";
import { agentGone, disconnectSignal } from "../data-plane/abort.js";
import { resolveCaller } from "../data-plane/caller.js";
import type { DataPlaneContext } from "../data-plane/context.js";
import { fetchUpstream, isSse, pipeUpstream, routeForward } from "../data-plane/forward.js";
import { downstreamResponseHeaders } from "../data-plane/headers.js";
import { sendJson } from "../data-plane/reply.js";
import type { CallContext } from "../enforce/enforcer.js";
import type { Verdict } from "../enforce/verdict.js";
import { upstreamFailure } from "./handler.js";
import { callInput, justificationOf } from "./input.js";
import { RPC, type RpcMessage, rpcError } from "./jsonrpc.js";
import { formatSse, rewriteMessages } from "./sse.js";

export async function callTool(
  ctx: DataPlaneContext,
  route: McpRoute,
  req: IncomingMessage,
  res: ServerResponse,
  msg: RpcMessage,
  body: Buffer,
): Promise<void> {
  const id = msg.id!;
  const params = msg.params ?? {};
  const name = params.name;
  const args = params.arguments ?? {};
  if (typeof name !== "string" || name === "") {
    sendJson(res, 200, rpcError(id, RPC.invalidParams, "`params.name` must be a non-empty string"));
    return;
  }
  if (args === null || typeof args !== "object" || Array.isArray(args)) {
    sendJson(res, 200, rpcError(id, RPC.invalidParams, "`params.arguments` must be an object"));
    return;
  }
  const correlationId = uuidv7();
  const pending = resolveCaller(ctx, req, { action: name, protocol: "mcp", correlationId });
  const who = pending instanceof Promise ? await pending : pending;
  if (!who.ok) {
    sendJson(res, 401, rpcError(id, RPC.unauthenticated, who.reason), {
      "www-authenticate": "Bearer",
    });
    return;
  }
  const meta = params._meta as Record<string, unknown> | undefined;
  const sessionId = req.headers["mcp-session-id"];
  const argsObj = args as Record<string, unknown>;
  const input = callInput(who.agent, name, argsObj, {
    kind: ctx.kindOf(name),
    sessionId: typeof sessionId === "string" ? sessionId : undefined,
    justification: justificationOf(meta, argsObj, ctx.config.mcp.justificationArg),
  });
  const headerKey = req.headers["idempotency-key"];
  const metaKey = meta?.idempotencyKey;
  const idempotencyKey =
    typeof headerKey === "string" ? headerKey : typeof metaKey === "string" ? metaKey : undefined;

  // a held call answers over SSE with progress notifications when the client asked for progress
  const progressToken = meta?.progressToken;
  let sse = false;
  let ticker: NodeJS.Timeout | undefined;
  const signal = disconnectSignal(res);
  const callCtx: CallContext = {
    protocol: "mcp",
    correlationId,
    idempotencyKey,
    signal,
    onHold: (approvalId) => {
      if (
        progressToken === undefined ||
        (typeof progressToken !== "string" && typeof progressToken !== "number")
      )
        return;
      sse = true;
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      let progress = 0;
      const tick = () => {
        progress++;
        res.write(
          formatSse({
            event: "message",
            data: JSON.stringify({
              jsonrpc: "2.0",
              method: "notifications/progress",
              params: { progressToken, progress, message: `waiting for approval ${approvalId}` },
            }),
          }),
        );
      };
      tick();
      ticker = setInterval(tick, ctx.config.approvals.progressIntervalMs);
      ticker.unref();
    },
  };
  let verdict: Verdict;
  try {
    verdict = await ctx.enforcer.check(input, callCtx);
  } finally {
    if (ticker) clearInterval(ticker);
  }
  if (agentGone(res)) {
    ctx.enforcer.outcome(input, verdict, callCtx, {
      ok: false,
      latencyMs: 0,
      error: "agent disconnected",
    });
    return;
  }

  if (verdict.kind !== "allow") {
    const answer = refusal(ctx, id, verdict);
    if (sse) {
      res.end(formatSse({ event: "message", data: JSON.stringify(answer) }));
    } else {
      sendJson(res, 200, answer);
    }
    return;
  }

  // forward: re-serialise only when the arguments changed (redaction)
  let out = body;
  if (verdict.args !== argsObj) {
    out = Buffer.from(JSON.stringify({ ...msg, params: { ...params, arguments: verdict.args } }));
  }
  const upstream = route.upstream;
  const forward = routeForward(ctx, route, req, "POST", out);
  const t0 = performance.now();
  const redactResults =
    ctx.config.redaction.results && ctx.enforcer.needsResultRedaction(verdict.decision);
  try {
    let status: number;
    if (!sse && !redactResults) {
      status = await pipeUpstream(ctx, res, upstream, forward);
    } else {
      const r = await fetchUpstream(ctx, upstream, forward);
      status = r.status;
      const ct = String(r.headers["content-type"] ?? "");
      let text = r.text;
      if (redactResults && status < 300) {
        text = rewriteMessages(text, ct, (m) =>
          m.id === id && "result" in m
            ? { ...m, result: ctx.enforcer.redactResult(verdict.decision, m.result) }
            : m,
        );
      }
      if (sse) {
        if (isSse(ct)) res.end(text);
        else res.end(formatSse({ event: "message", data: text }));
      } else {
        res.writeHead(status, downstreamResponseHeaders(r.headers, false));
        res.end(text);
      }
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
    if (sse && res.headersSent && !res.writableEnded) {
      res.end(
        formatSse({
          event: "message",
          data: JSON.stringify(rpcError(id, RPC.upstreamError, (e as Error).message)),
        }),
      );
      return;
    }
    upstreamFailure(res, e, id);
  }
}

/** The answer to a refused call: a `CallToolResult` with `isError` (default) or a JSON-RPC error. */
function refusal(
  ctx: DataPlaneContext,
  id: string | number,
  v: Exclude<Verdict, { kind: "allow" }>,
) {
  const policy = "policy" in v ? v.policy : undefined;
  const text =
    v.kind === "pending"
      ? v.reason
      : v.kind === "limited"
        ? `rate limited by policy \`${v.policy}\`: ${v.reason}; retry after ${Math.ceil(v.retryAfterMs / 1000)} s`
        : `denied by policy \`${policy ?? "default-deny"}\`: ${v.reason}`;
  const data = {
    decision: v.decision.decision,
    policy: policy ?? null,
    reasons: v.decision.reasons,
    ...("approvalId" in v && v.approvalId ? { approval_id: v.approvalId } : {}),
    ...(v.kind === "pending" ? { idempotency_key: v.idempotencyKey } : {}),
    ...(v.kind === "limited" ? { retry_after_ms: v.retryAfterMs } : {}),
  };
  if (ctx.config.mcp.denial === "error") {
    const code =
      v.kind === "pending"
        ? RPC.approvalPending
        : v.kind === "limited"
          ? RPC.rateLimited
          : RPC.denied;
    return rpcError(id, code, text, data);
  }
  return {
    jsonrpc: "2.0",
    id,
    result: {
      content: [{ type: "text", text }],
      isError: true,
      _meta: { "paracle.dev/decision": data },
    },
  };
}
