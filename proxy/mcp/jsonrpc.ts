/**
 * JSON-RPC 2.0 message checks and error builders (JSON-RPC 2.0 §5.1 error codes; MCP
 * 2025-06-18 basic/messages: request ids are strings or integers, never null).
 */

export const RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** Implementation-defined server errors (-32000 to -32099), documented in docs/sidecar.md. */
  upstreamError: -32000,
  denied: -32001,
  approvalPending: -32002,
  rateLimited: -32003,
  unauthenticated: -32004,
} as const;

export type RpcId = string | number;

export interface RpcMessage {
  jsonrpc: "2.0";
  id?: RpcId;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: unknown;
}

/** An error response body. */
export function rpcError(id: RpcId | null, code: number, message: string, data?: unknown) {
  return {
    jsonrpc: "2.0" as const,
    id,
    error: data === undefined ? { code, message } : { code, message, data },
  };
}

/** Returns why `m` is not a valid JSON-RPC message, or undefined if it is. */
export function invalidMessage(m: unknown): string | undefined {
  if (m === null || typeof m !== "object" || Array.isArray(m))
    return "a JSON-RPC message must be an object";
  const msg = m as Record<string, unknown>;
  if (msg.jsonrpc !== "2.0") return '`jsonrpc` must be "2.0"';
  if (
    "id" in msg &&
    typeof msg.id !== "string" &&
    !(typeof msg.id === "number" && Number.isInteger(msg.id))
  )
    return "`id` must be a string or an integer";
  if ("method" in msg) {
    if (typeof msg.method !== "string" || msg.method === "")
      return "`method` must be a non-empty string";
    if (
      "params" in msg &&
      (msg.params === null || typeof msg.params !== "object" || Array.isArray(msg.params))
    )
      return "`params` must be an object";
    return undefined;
  }
  if ("result" in msg || "error" in msg)
    return "id" in msg ? undefined : "a response needs an `id`";
  return "a JSON-RPC message needs a `method`, a `result` or an `error`";
}

/** The id to answer with when a message is invalid (null when there is none). */
export function idOf(m: unknown): RpcId | null {
  if (m && typeof m === "object" && !Array.isArray(m)) {
    const id = (m as { id?: unknown }).id;
    if (typeof id === "string" || typeof id === "number") return id;
  }
  return null;
}
