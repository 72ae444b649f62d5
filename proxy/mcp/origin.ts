/**
 * Origin validation (MCP 2025-06-18 and 2025-11-25, transports §Security warning: servers MUST
 * validate the `Origin` header to prevent DNS rebinding; a present and invalid Origin is answered
 * with 403). Requests without Origin (non-browser agents) pass; loopback origins pass; others
 * only when listed in `mcp.allowed_origins` (or `*` is listed).
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes("*") || allowed.includes(origin)) return true;
  try {
    const host = new URL(origin).hostname;
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
  } catch {
    return false;
  }
}

/** Protocol revisions a client may name in `MCP-Protocol-Version` (2025-03-26 tolerated). */
export const SUPPORTED_PROTOCOL_VERSIONS = new Set([
  "2024-11-05",
  "2025-03-26",
  "2025-06-18",
  "2025-11-25",
]);
