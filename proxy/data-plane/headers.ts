/**
 * Header hygiene for forwarding. Hop-by-hop headers (RFC 9110 §7.6.1) are connection-scoped and
 * never forwarded; `host` and `content-length` are set by the client library for the new hop.
 */
import type { IncomingHttpHeaders } from "node:http";

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
  "expect",
]);

/**
 * Request headers sent upstream: the agent's headers minus hop-by-hop ones and `drop` (e.g. the
 * identity header), plus the upstream's configured headers (which win).
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  extra: Record<string, string>,
  drop?: string,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key in incoming) {
    if (HOP_BY_HOP.has(key) || key === drop) continue;
    const v = incoming[key];
    if (v !== undefined) out[key] = v;
  }
  for (const key in extra) out[key.toLowerCase()] = extra[key]!;
  return out;
}

/** Response headers sent back to the agent: upstream headers minus hop-by-hop ones. */
export function downstreamResponseHeaders(
  upstream: Record<string, string | string[] | undefined>,
  keepLength: boolean,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key in upstream) {
    if (key === "content-length" ? !keepLength : HOP_BY_HOP.has(key)) continue;
    const v = upstream[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
