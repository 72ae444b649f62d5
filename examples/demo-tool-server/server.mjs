#!/usr/bin/env node
/**
 * Demo tool server: the same fake tools over MCP Streamable HTTP (official SDK transport,
 * stateful sessions, SSE responses) at `/mcp` and over plain HTTP at `POST /tools/{name}`.
 *
 * Usage: node examples/demo-tool-server/server.mjs [--port 3001] [--host 127.0.0.1]
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { runTool, TOOLS } from "./tools.mjs";

/**
 * Starts the server. Every call that reaches a tool is appended to `calls` (tests assert that
 * refused calls never arrive).
 * @returns {Promise<{url: string, port: number, calls: {protocol: string, tool: string, args: unknown}[], close: () => Promise<void>}>}
 */
export async function startDemoToolServer({
  port = 3001,
  host = "127.0.0.1",
  jsonResponse = false,
} = {}) {
  const calls = [];
  const sessions = new Map();

  function mcpServer() {
    const server = new Server(
      { name: "paracle-demo-tools", version: "1.0.0" },
      { capabilities: { tools: {} } },
    );
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const { name, arguments: args } = request.params;
      const token = request.params._meta?.progressToken;
      calls.push({ protocol: "mcp", tool: name, args: args ?? {} });
      const progress =
        token === undefined
          ? undefined
          : (progress, total) =>
              extra.sendNotification({
                method: "notifications/progress",
                params: { progressToken: token, progress, total },
              });
      const result = await runTool(name, args, progress);
      if (result === undefined)
        return { content: [{ type: "text", text: `unknown tool ${name}` }], isError: true };
      return {
        content: [{ type: "text", text: JSON.stringify(result) }],
        structuredContent: result,
      };
    });
    return server;
  }

  async function handleMcp(req, res) {
    const sid = req.headers["mcp-session-id"];
    let transport = typeof sid === "string" ? sessions.get(sid) : undefined;
    if (!transport) {
      if (sid !== undefined) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            jsonrpc: "2.0",
            id: null,
            error: { code: -32001, message: "session not found" },
          }),
        );
        return;
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: jsonResponse,
        onsessioninitialized: (id) => sessions.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
      await mcpServer().connect(transport);
    }
    await transport.handleRequest(req, res);
  }

  async function handleTool(req, res, name, kind = "tool") {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    let args = {};
    try {
      args = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end('{"error":"invalid JSON"}');
      return;
    }
    calls.push({ protocol: "http", tool: name, args });
    const result = kind === "route" ? { path: name, received: args } : await runTool(name, args);
    if (result === undefined) {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: `unknown tool ${name}` }));
      return;
    }
    const body = JSON.stringify({ result });
    res
      .writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      })
      .end(body);
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const work =
      path === "/mcp"
        ? handleMcp(req, res)
        : req.method === "POST" && path.startsWith("/tools/")
          ? handleTool(req, res, decodeURIComponent(path.slice("/tools/".length)))
          : req.method === "POST" && path.startsWith("/api/")
            ? handleTool(req, res, path, "route")
            : Promise.resolve(res.writeHead(404).end());
    work.catch((e) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(e?.message ?? e));
    });
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const actual = server.address().port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    calls,
    close: async () => {
      for (const t of sessions.values()) await t.close().catch(() => {});
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(name);
    return i === -1 ? def : process.argv[i + 1];
  };
  const s = await startDemoToolServer({
    port: Number(arg("--port", "3001")),
    host: arg("--host", "127.0.0.1"),
  });
  console.log(
    `demo tool server on ${s.url} (MCP at ${s.url}/mcp, plain HTTP at ${s.url}/tools/{name})`,
  );
  const stop = () => s.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
