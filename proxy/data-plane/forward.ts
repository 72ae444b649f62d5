/** Forwarding helpers shared by the MCP and plain HTTP adapters. */
import type { ServerResponse } from "node:http";
import type { DataPlaneContext } from "./context.js";
import { downstreamResponseHeaders } from "./headers.js";
import type { ForwardRequest } from "./upstream.js";

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
