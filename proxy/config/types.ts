/**
 * The validated sidecar configuration (`sidecar.yaml`). Every field has a default so a minimal
 * file (or none) starts a working sidecar; see docs/sidecar.md for the reference.
 */

export interface UpstreamConfig {
  name: string;
  /** Origin of the tool server (`http(s)://host:port`); the only hosts the sidecar ever reaches. */
  url: string;
  /** Time to the response headers. */
  timeoutMs: number;
  /** Longest silence between two body chunks (SSE streams send keep-alives). 0 = none. */
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  /** Connections in the undici pool. */
  connections: number;
  /** Extra headers sent to this upstream (e.g. its own credentials). */
  headers: Record<string, string>;
}

export interface McpRoute {
  /** Path the agent calls on the sidecar. */
  path: string;
  upstream: string;
  /** Path on the upstream (default: the same path). */
  upstreamPath: string;
}

export interface ToolRoute {
  /** Sidecar path prefix, `/tools/`: `POST /tools/{name}`. */
  prefix: string;
  upstream: string;
  /** Upstream path prefix; the tool name (URL-encoded) is appended. */
  upstreamPrefix: string;
}

export interface HttpRoute {
  method: string;
  /** Path pattern with `:param` segments and a trailing `*`. */
  path: string;
  upstream: string;
  action: string;
  kind?: string;
}

export interface AgentIdentity {
  id: string;
  roles: string[];
  trust_level?: number;
  owner?: string;
  [attribute: string]: unknown;
}

export interface JwtIdentityConfig {
  /** PEM public keys (SPKI) or JWKS JSON files, already read. */
  keys: string[];
  issuer?: string;
  audience?: string;
  algorithms: string[];
  rolesClaim: string;
  header: string;
}

/** A webhook receiver: JSON POSTs with retries (runtime/webhook.ts). */
export interface WebhookConfig {
  url: string;
  /** Extra request headers (e.g. the receiver's credentials); never logged. */
  headers: Record<string, string>;
}

export interface AdminToken {
  id: string;
  token: string;
  roles: string[];
}

export interface SidecarConfig {
  listen: { host: string; port: number };
  admin: {
    host: string;
    port: number;
    tokens: AdminToken[];
    jwt?: JwtIdentityConfig;
    /** `/metrics` without a token (the admin listener is loopback by default). */
    publicMetrics: boolean;
  };
  bundle: { dir: string; publicKey?: string; requireSignature: boolean; watch: boolean };
  dataDir: string;
  /**
   * Signed checkpoints of the audit log: with a signing key the sidecar signs one every
   * `checkpointIntervalMs` while the log grows (C2SP signed note, Ed25519).
   */
  audit: { signingKey?: string; keyName?: string; checkpointIntervalMs: number };
  upstreams: Map<string, UpstreamConfig>;
  routes: {
    mcp: McpRoute[];
    tools?: ToolRoute;
    http: HttpRoute[];
    /** Action kind by tool name or glob (first match wins), used when the tool gives none. */
    kinds: { pattern: string; kind: string }[];
  };
  agent: AgentIdentity;
  identity: { mode: "static" | "jwt"; jwt?: JwtIdentityConfig };
  timeZone: string;
  /** `closed`: if the audit log cannot be written, calls are denied. `open` is refused at load. */
  failMode: "closed";
  limits: { maxBodyBytes: number; maxHeaderBytes: number; requestTimeoutMs: number };
  /**
   * Rate-limit and quota counters: kept in `<data_dir>/limits` across restarts when `persist`
   * (changes written every `flushIntervalMs` and at shutdown), at most `maxEntries` numbers.
   */
  counters: { persist: boolean; flushIntervalMs: number; maxEntries: number };
  approvals: {
    mode: "hold" | "async";
    holdTimeoutMs: number;
    progressIntervalMs: number;
    /** Notified on request, level advance, escalation, reminder and decision. */
    webhook?: WebhookConfig;
  };
  mcp: {
    denial: "result" | "error";
    allowedOrigins: string[];
    /** Argument holding the justification (when `_meta.justification` is absent). */
    justificationArg?: string;
    /** Hide tools the agent may never call from `tools/list`. */
    filterList: boolean;
  };
  decide: { enabled: boolean; trustInputAgent: boolean };
  redaction: { results: boolean };
  /** `alert` obligations and critical risk are POSTed to the webhook. */
  alerts: { webhook?: WebhookConfig };
  shutdownGraceMs: number;
}
