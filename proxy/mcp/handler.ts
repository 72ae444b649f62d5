/**
 * MCP Streamable HTTP adapter (spec 2025-06-18 / 2025-11-25 basic/transports; 2025-03-26 clients
 * tolerated). Everything is forwarded to the route's upstream unchanged except:
 * - `tools/call`: decided and enforced first (see ./call.ts);
 * - `tools/list`: tools the agent may never call are removed (see ./list.ts);
 * - invalid JSON / JSON-RPC: answered by the sidecar with the standard error codes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { McpRoute } from "../config/types.js";
import { BodyTooLargeError, readBody } from "../data-plane/body.js";
import { resolveCaller } from "../data-plane/caller.js";
import type { DataPlaneContext } from "../data-plane/context.js";
import { pipeUpstream, routeForward } from "../data-plane/forward.js";
import { sendJson } from "../data-plane/reply.js";
import { UpstreamError } from "../data-plane/upstream.js";
import { callTool } from "./call.js";
import { idOf, invalidMessage, RPC, type RpcMessage, rpcError } from "./jsonrpc.js";
import { listTools } from "./list.js";
import { originAllowed, SUPPORTED_PROTOCOL_VERSIONS } from "./origin.js";

export async function handleMcp(
  ctx: DataPlaneContext,
  route: McpRoute,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const origin = req.headers.origin;
  if (!originAllowed(origin, ctx.config.mcp.allowedOrigins)) {
    sendJson(res, 403, rpcError(null, RPC.invalidRequest, `origin \`${origin}\` is not allowed`));
    return;
  }
  const version = req.headers["mcp-protocol-version"];
  if (typeof version === "string" && !SUPPORTED_PROTOCOL_VERSIONS.has(version)) {
    sendJson(
      res,
      400,
      rpcError(null, RPC.invalidRequest, `unsupported MCP-Protocol-Version \`${version}\``),
    );
    return;
  }
  const method = req.method ?? "GET";
  if (method === "GET" || method === "DELETE") {
    if (!(await authenticated(ctx, req, res, null))) return;
    await passthrough(ctx, route, req, res, null, null);
    return;
  }
  if (method !== "POST") {
    res.writeHead(405, { allow: "GET, POST, DELETE" }).end();
    return;
  }

  let body: Buffer;
  try {
    body = await readBody(req, ctx.config.limits.maxBodyBytes);
  } catch (e) {
    if (e instanceof BodyTooLargeError) {
      sendJson(res, 413, rpcError(null, RPC.invalidRequest, e.message), { connection: "close" });
      return;
    }
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (e) {
    sendJson(res, 400, rpcError(null, RPC.parseError, `parse error: ${(e as Error).message}`));
    return;
  }
  if (Array.isArray(parsed)) {
    // JSON-RPC batches exist only in 2025-03-26; a batch hiding a tools/call could skip
    // enforcement, so those are refused and the others forwarded
    if (parsed.length === 0) {
      sendJson(res, 400, rpcError(null, RPC.invalidRequest, "empty batch"));
      return;
    }
    for (const m of parsed) {
      const why = invalidMessage(m);
      if (why) {
        sendJson(res, 400, rpcError(idOf(m), RPC.invalidRequest, `invalid request: ${why}`));
        return;
      }
      const name = (m as RpcMessage).method;
      if (name === "tools/call" || name === "tools/list") {
        sendJson(
          res,
          400,
          rpcError(
            idOf(m),
            RPC.invalidRequest,
            `\`${name}\` cannot be batched through the sidecar: send it alone`,
          ),
        );
        return;
      }
    }
    if (!(await authenticated(ctx, req, res, null))) return;
    await passthrough(ctx, route, req, res, body, null);
    return;
  }
  const why = invalidMessage(parsed);
  if (why) {
    sendJson(res, 400, rpcError(idOf(parsed), RPC.invalidRequest, `invalid request: ${why}`));
    return;
  }
  const msg = parsed as RpcMessage;
  if (msg.method === "tools/call" && msg.id !== undefined) {
    await callTool(ctx, route, req, res, msg, body);
  } else if (msg.method === "tools/list" && msg.id !== undefined && ctx.config.mcp.filterList) {
    await listTools(ctx, route, req, res, msg, body);
  } else {
    if (!(await authenticated(ctx, req, res, msg.id ?? null))) return;
    await passthrough(ctx, route, req, res, body, msg.id ?? null);
  }
}

/** Forwards a request unchanged and streams the answer back. */
export async function passthrough(
  ctx: DataPlaneContext,
  route: McpRoute,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer | null,
  id: RpcMessage["id"] | null,
): Promise<void> {
  const ac = req.method === "GET" ? new AbortController() : undefined;
  if (ac) res.once("close", () => ac.abort());
  try {
    const forward = routeForward(ctx, route, req, req.method ?? "POST", body);
    if (ac) forward.signal = ac.signal;
    await pipeUpstream(ctx, res, route.upstream, forward);
  } catch (e) {
    if (ac?.signal.aborted) return;
    upstreamFailure(res, e, id ?? null);
  }
}

/** Answers an upstream failure as a JSON-RPC error (502/504), or cuts a started stream. */
export function upstreamFailure(
  res: ServerResponse,
  e: unknown,
  id: RpcMessage["id"] | null,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const ue = e instanceof UpstreamError ? e : undefined;
  sendJson(
    res,
    ue?.status ?? 502,
    rpcError(
      id ?? null,
      RPC.upstreamError,
      ue?.message ?? `upstream failed: ${(e as Error).message}`,
    ),
  );
}

/**
 * In JWT mode every MCP request carries a valid identity, not only tools/call and tools/list
 * (which resolve it themselves): an unauthenticated client may not open sessions or streams.
 * On failure audits `auth.failure` and answers 401 (JSON-RPC -32004). Static mode: always true.
 */
async function authenticated(
  ctx: DataPlaneContext,
  req: IncomingMessage,
  res: ServerResponse,
  id: RpcMessage["id"] | null,
): Promise<boolean> {
  if (ctx.identity.static) return true;
  const who = await resolveCaller(ctx, req, {
    action: `mcp.${(req.method ?? "GET").toLowerCase()}`,
    protocol: "mcp",
  });
  if (who.ok) return true;
  sendJson(res, 401, rpcError(id ?? null, RPC.unauthenticated, who.reason), {
    "www-authenticate": "Bearer",
  });
  return false;
}
