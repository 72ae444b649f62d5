/** Forwarding helpers shared by the MCP and plain HTTP adapters. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { McpRoute } from "../config/types.js";
import type { DataPlaneContext } from "./context.js";
import { downstreamResponseHeaders, upstreamRequestHeaders } from "./headers.js";
import type { ForwardRequest } from "./upstream.js";

/**
 * The headers sent to `upstream`: the agent's minus hop-by-hop ones, plus the upstream's
 * configured headers and the identity header.
 */
export function forwardHeaders(
  ctx: DataPlaneContext,
  req: IncomingMessage,
  upstream: string,
): Record<string, string | string[]> {
  return upstreamRequestHeaders(
    req.headers,
    ctx.upstreams.config(upstream).headers,
    ctx.identity.header,
  );
}

/** The request forwarded on an MCP route: the route's upstream path with the agent's query. */
export function routeForward(
  ctx: DataPlaneContext,
  route: McpRoute,
  req: IncomingMessage,
  method: string,
  body: Buffer | null,
): ForwardRequest {
  return {
    method,
    path: upstreamPath(req.url ?? "/", route.upstreamPath),
    headers: forwardHeaders(ctx, req, route.upstream),
    body,
  };
}

/**
 * Streams the upstream response to the agent unchanged (status, headers minus hop-by-hop ones,
 * body bytes as they arrive). Resolves with the status once the body has been written.
 */
export function pipeUpstream(
  ctx: DataPlaneContext,
  res: ServerResponse,
  upstream: string,
  req: ForwardRequest,
): Promise<number> {
  const t0 = performance.now();
  const p = ctx.upstreams.stream(upstream, req, (s, headers) => {
    res.writeHead(s, downstreamResponseHeaders(headers, true));
    // SSE: send the headers now, so the agent sees the stream open before the first event
    if (isSse(headers["content-type"])) res.flushHeaders();
    return res;
  });
  const metrics = ctx.metrics;
  if (!metrics) return p;
  return p.then((status) => {
    metrics.observeUpstream(upstream, status, performance.now() - t0);
    return status;
  });
}

/** Buffers the upstream response (for rewriting). */
export async function fetchUpstream(
  ctx: DataPlaneContext,
  upstream: string,
  req: ForwardRequest,
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}> {
  const t0 = performance.now();
  const r = await ctx.upstreams.request(upstream, req);
  const text = await r.body.text();
  ctx.metrics?.observeUpstream(upstream, r.statusCode, performance.now() - t0);
  return { status: r.statusCode, headers: r.headers, text };
}

export function isSse(contentType: string | string[] | undefined): boolean {
  return typeof contentType === "string" && contentType.includes("text/event-stream");
}

/** The upstream path plus the incoming URL's query (the router matched the route's path exactly). */
export function upstreamPath(url: string, target: string): string {
  const q = url.indexOf("?");
  return q === -1 ? target : target + url.slice(q);
}
