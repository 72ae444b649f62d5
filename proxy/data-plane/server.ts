/**
 * The data-plane listener: plain node:http with a hand-written router (measured: a framework on
 * this path halves throughput, see docs/decisions.md). Order: MCP endpoints, `/v1/decide`,
 * `POST /tools/{name}`, then the route table; anything else is 404. Header size is limited by
 * node's parser (`maxHeaderSize` ⇒ 431); bodies by `readBody` (⇒ 413).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { handleMcp } from "../mcp/handler.js";
import type { DataPlaneContext } from "./context.js";
import { handleDecide } from "./decide.js";
import { PROBLEM, sendProblem } from "./reply.js";
import { RouteTable } from "./route-table.js";
import { handleHttpTool, toolName } from "./tools.js";

export function createDataPlane(ctx: DataPlaneContext): Server {
  const { config } = ctx;
  const mcpRoutes = new Map(config.routes.mcp.map((r) => [r.path, r]));
  const tools = config.routes.tools;
  const table = new RouteTable(config.routes.http);

  // not async: each branch returns its handler's promise as is (an async wrapper returning a
  // promise costs extra microtask turns per request on the hot path)
  const handle = (req: IncomingMessage, res: ServerResponse): Promise<void> | undefined => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const mcp = mcpRoutes.get(path);
    if (mcp) return handleMcp(ctx, mcp, req, res);
    const method = req.method ?? "GET";
    if (path === "/v1/decide" && config.decide.enabled) {
      if (method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
      return handleDecide(ctx, req, res);
    }
    if (tools && path.startsWith(tools.prefix)) {
      const name = toolName(path.slice(tools.prefix.length));
      if (method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
      if (!name) {
        sendProblem(res, {
          type: PROBLEM.badRequest,
          title: "Invalid tool name",
          status: 400,
          detail: "tool names are letters, digits and `_ . : -`",
        });
        return undefined;
      }
      return handleHttpTool(
        ctx,
        {
          action: name,
          upstream: tools.upstream,
          path: tools.upstreamPrefix + encodeURIComponent(name),
          argsFromBody: true,
        },
        req,
        res,
      );
    }
    const m = table.match(method, path);
    if (m) {
      return handleHttpTool(
        ctx,
        {
          action: m.route.action,
          kind: m.route.kind,
          upstream: m.route.upstream,
          path: url,
          params: m.params,
          argsFromBody: false,
        },
        req,
        res,
      );
    }
    sendProblem(res, {
      type: PROBLEM.notFound,
      title: "Not found",
      status: 404,
      detail: `no route for \`${method} ${path}\``,
    });
    return undefined;
  };

  const server = createServer(
    {
      maxHeaderSize: config.limits.maxHeaderBytes,
      requestTimeout: config.limits.requestTimeoutMs,
      keepAliveTimeout: 65_000,
    },
    (req, res) => {
      const fail = (e: unknown) => {
        // last resort: the handlers answer every expected failure themselves
        if (!res.headersSent) {
          sendProblem(res, {
            type: PROBLEM.unavailable,
            title: "Internal error",
            status: 500,
            detail: String((e as Error)?.message ?? e),
          });
        } else res.destroy();
      };
      try {
        handle(req, res)?.catch(fail);
      } catch (e) {
        fail(e);
      }
    },
  );
  return server;
}
