/**
 * `tools/list` filtering: each listed tool is decided with `action.phase = "list"`; a deny hides
 * it (a policy can target list visibility and call arguments separately). Tool annotations
 * (`readOnlyHint`, `destructiveHint`) are remembered as action kinds for later calls.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { uuidv7 } from "../../runtime/ids/uuid7.js";
import type { McpRoute } from "../config/types.js";
import { resolveCaller } from "../data-plane/caller.js";
import type { DataPlaneContext } from "../data-plane/context.js";
import { fetchUpstream, routeForward } from "../data-plane/forward.js";
import { downstreamResponseHeaders } from "../data-plane/headers.js";
import { sendJson } from "../data-plane/reply.js";
import { upstreamFailure } from "./handler.js";
import { RPC, type RpcMessage, rpcError } from "./jsonrpc.js";
import { parseSse, rewriteMessages } from "./sse.js";

interface Tool {
  name: string;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean };
}

export async function listTools(
  ctx: DataPlaneContext,
  route: McpRoute,
  req: IncomingMessage,
  res: ServerResponse,
  msg: RpcMessage,
  body: Buffer,
): Promise<void> {
  // a refused identity is audited like every other refusal (issue 7 §4)
  const pending = resolveCaller(ctx, req, { action: "tools/list", protocol: "mcp" });
  const resolved = pending instanceof Promise ? await pending : pending;
  if (!resolved.ok) {
    sendJson(res, 401, rpcError(msg.id!, RPC.unauthenticated, resolved.reason), {
      "www-authenticate": "Bearer",
    });
    return;
  }
  let r: Awaited<ReturnType<typeof fetchUpstream>>;
  try {
    r = await fetchUpstream(ctx, route.upstream, routeForward(ctx, route, req, "POST", body));
  } catch (e) {
    upstreamFailure(res, e, msg.id!);
    return;
  }
  const ct = String(r.headers["content-type"] ?? "");
  const tools = r.status < 300 ? toolsIn(r.text, ct, msg.id!) : [];
  let text = r.text;
  if (tools.length > 0) {
    for (const t of tools) {
      if (t.annotations?.destructiveHint === true) ctx.learnKind(t.name, "delete");
      else if (t.annotations?.readOnlyHint === true) ctx.learnKind(t.name, "read");
    }
    const sessionId = req.headers["mcp-session-id"];
    const shown = await ctx.enforcer.visible(
      {
        agent: resolved.agent,
        action: { name: "tools/list", phase: "list" },
        ...(typeof sessionId === "string" ? { session: { id: sessionId } } : {}),
      },
      tools.map((t) => t.name),
      { protocol: "mcp", correlationId: uuidv7() },
      (name) => ctx.kindOf(name),
    );
    if (!shown) {
      sendJson(
        res,
        503,
        rpcError(
          msg.id!,
          RPC.internalError,
          "the audit log cannot be written: refusing every call (fail closed)",
        ),
      );
      return;
    }
    text = rewriteMessages(text, ct, (m) => {
      const result = m.result as { tools?: Tool[] } | undefined;
      if (m.id !== msg.id || !Array.isArray(result?.tools)) return m;
      return { ...m, result: { ...result, tools: result.tools.filter((t) => shown.has(t.name)) } };
    });
  }
  res.writeHead(r.status, downstreamResponseHeaders(r.headers, false));
  res.end(text);
}

function toolsIn(text: string, contentType: string, id: string | number): Tool[] {
  const messages: unknown[] = [];
  try {
    if (contentType.includes("text/event-stream")) {
      for (const ev of parseSse(text)) if (ev.data) messages.push(JSON.parse(ev.data));
    } else messages.push(JSON.parse(text));
  } catch {
    return [];
  }
  for (const m of messages.flat()) {
    const msg = m as { id?: unknown; result?: { tools?: unknown } };
    if (msg?.id === id && Array.isArray(msg.result?.tools)) {
      return (msg.result.tools as Tool[]).filter((t) => t && typeof t.name === "string");
    }
  }
  return [];
}
