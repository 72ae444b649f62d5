/**
 * Validates the parsed `sidecar.yaml` into a `SidecarConfig`, reporting every bad field at once.
 * Relative paths are resolved against the config file's directory.
 */
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { FieldReader, type Obj, show } from "./reader.js";
import type {
  AdminToken,
  HttpRoute,
  JwtIdentityConfig,
  McpRoute,
  SidecarConfig,
  ToolRoute,
  UpstreamConfig,
  WebhookConfig,
} from "./types.js";

/** Thrown when the configuration is invalid; `message` lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    source: string,
  ) {
    super(`invalid sidecar configuration ${source}:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

export interface ValidateOptions {
  /** Directory relative paths are resolved against. */
  baseDir: string;
  env?: Record<string, string | undefined>;
  /** Named in error messages (the file path). */
  source?: string;
}

const TOP = [
  "listen",
  "admin",
  "bundle",
  "data_dir",
  "audit",
  "upstreams",
  "routes",
  "agent",
  "identity",
  "time_zone",
  "fail_mode",
  "limits",
  "counters",
  "approvals",
  "mcp",
  "decide",
  "redaction",
  "alerts",
  "shutdown_grace",
];

/** Validates a parsed config document; throws `ConfigError` naming each bad field. */
export function validateConfig(raw: unknown, opts: ValidateOptions): SidecarConfig {
  const r = new FieldReader();
  const env = opts.env ?? process.env;
  const path = (p: string) => (isAbsolute(p) ? p : resolve(opts.baseDir, p));
  let root: Obj = {};
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== "object" || Array.isArray(raw)) r.fail("(root)", "must be a mapping");
    else root = raw as Obj;
  }
  r.known(root, "", TOP);

  const listen = r.obj(root, "listen", "listen");
  r.known(listen, "listen", ["host", "port"]);
  const admin = r.obj(root, "admin", "admin");
  r.known(admin, "admin", ["host", "port", "tokens", "jwt", "public_metrics"]);
  const bundle = r.obj(root, "bundle", "bundle");
  r.known(bundle, "bundle", ["dir", "public_key", "require_signature", "watch"]);

  const upstreams = new Map<string, UpstreamConfig>();
  const ups = r.obj(root, "upstreams", "upstreams");
  for (const [name, v] of Object.entries(ups)) {
    const p = `upstreams.${name}`;
    const u: Obj = typeof v === "string" ? { url: v } : r.obj(ups, name, p);
    r.known(u, p, ["url", "timeout", "idle_timeout", "connect_timeout", "connections", "headers"]);
    const url = r.str(u, "url", `${p}.url`);
    if (url === undefined) r.fail(`${p}.url`, "is required");
    else if (!isOrigin(url))
      r.fail(
        `${p}.url`,
        `must be an http(s) origin like \`http://127.0.0.1:3001\`, got ${show(maskUrl(url))}`,
      );
    const headers = r.obj(u, "headers", `${p}.headers`);
    for (const [k, hv] of Object.entries(headers))
      if (typeof hv !== "string") r.fail(`${p}.headers.${k}`, "must be a string");
    upstreams.set(name, {
      name,
      url: url ? new URL(url).origin : "",
      timeoutMs: r.duration(u, "timeout", `${p}.timeout`, 30_000),
      idleTimeoutMs: r.duration(u, "idle_timeout", `${p}.idle_timeout`, 300_000),
      connectTimeoutMs: r.duration(u, "connect_timeout", `${p}.connect_timeout`, 5_000),
      connections: r.int(u, "connections", `${p}.connections`, 64, 1, 10_000),
      headers: headers as Record<string, string>,
    });
  }
  const upstream = (o: Obj, p: string): string => {
    const name = r.str(o, "upstream", p);
    if (name === undefined) {
      if (upstreams.size === 1) return [...upstreams.keys()][0]!;
      r.fail(p, "is required (more than one upstream is configured)");
      return "";
    }
    if (!upstreams.has(name)) r.fail(p, `names no configured upstream: ${show(name)}`);
    return name;
  };

  const routes = r.obj(root, "routes", "routes");
  r.known(routes, "routes", ["mcp", "tools", "http", "kinds"]);
  const mcp: McpRoute[] = r.list(routes, "mcp", "routes.mcp").map((m, i) => {
    const p = `routes.mcp[${i}]`;
    r.known(m, p, ["path", "upstream", "upstream_path"]);
    const rp = r.str(m, "path", `${p}.path`, "/mcp");
    checkPath(r, `${p}.path`, rp);
    return {
      path: rp,
      upstream: upstream(m, `${p}.upstream`),
      upstreamPath: r.str(m, "upstream_path", `${p}.upstream_path`, rp),
    };
  });
  let tools: ToolRoute | undefined;
  if (routes.tools !== undefined) {
    const t = r.obj(routes, "tools", "routes.tools");
    r.known(t, "routes.tools", ["prefix", "upstream", "upstream_prefix"]);
    const prefix = r.str(t, "prefix", "routes.tools.prefix", "/tools/");
    checkPath(r, "routes.tools.prefix", prefix);
    tools = {
      prefix: prefix.endsWith("/") ? prefix : `${prefix}/`,
      upstream: upstream(t, "routes.tools.upstream"),
      upstreamPrefix: r.str(t, "upstream_prefix", "routes.tools.upstream_prefix", "/tools/"),
    };
  }
  const http: HttpRoute[] = r.list(routes, "http", "routes.http").map((h, i) => {
    const p = `routes.http[${i}]`;
    r.known(h, p, ["method", "path", "upstream", "action", "kind"]);
    const hp = r.str(h, "path", `${p}.path`, "/");
    checkPath(r, `${p}.path`, hp);
    const action = r.str(h, "action", `${p}.action`);
    if (action === undefined) r.fail(`${p}.action`, "is required");
    return {
      method: r.str(h, "method", `${p}.method`, "POST").toUpperCase(),
      path: hp,
      upstream: upstream(h, `${p}.upstream`),
      action: action ?? "",
      kind: r.str(h, "kind", `${p}.kind`),
    };
  });
  const kindsObj = r.obj(routes, "kinds", "routes.kinds");
  const kinds = Object.entries(kindsObj).map(([pattern, kind]) => {
    if (typeof kind !== "string") r.fail(`routes.kinds.${pattern}`, "must be a string");
    return { pattern, kind: String(kind) };
  });

  const agentObj = r.obj(root, "agent", "agent");
  const agent = {
    ...agentObj,
    id: r.str(agentObj, "id", "agent.id", "agent"),
    roles: r.strList(agentObj, "roles", "agent.roles", []),
  } as SidecarConfig["agent"];
  if (agentObj.trust_level !== undefined && typeof agentObj.trust_level !== "number")
    r.fail("agent.trust_level", `must be a number, got ${show(agentObj.trust_level)}`);

  const identity = r.obj(root, "identity", "identity");
  r.known(identity, "identity", ["mode", "jwt"]);
  const mode = r.oneOf(identity, "mode", "identity.mode", ["static", "jwt"] as const, "static");
  let jwt: JwtIdentityConfig | undefined;
  if (mode === "jwt" || identity.jwt !== undefined) {
    jwt = readJwt(r, r.obj(identity, "jwt", "identity.jwt"), "identity.jwt", path, "roles");
  }

  const tokens: AdminToken[] = r.list(admin, "tokens", "admin.tokens").map((t, i) => {
    const p = `admin.tokens[${i}]`;
    r.known(t, p, ["id", "token", "token_env", "roles"]);
    const id = r.str(t, "id", `${p}.id`, "");
    if (!id) r.fail(`${p}.id`, "is required");
    // a credential is never echoed in a message (messages end up in logs)
    let token: string | undefined;
    if (typeof t.token === "string" && t.token !== "") token = t.token;
    else if (t.token !== undefined && t.token !== null)
      r.fail(`${p}.token`, "must be a non-empty string (value not shown)");
    const envName = r.str(t, "token_env", `${p}.token_env`);
    if (envName !== undefined) {
      token = env[envName];
      if (!token) r.fail(`${p}.token_env`, `environment variable ${show(envName)} is not set`);
    }
    if ((t.token === undefined || t.token === null) && envName === undefined)
      r.fail(`${p}.token`, "is required (or `token_env`)");
    if (token !== undefined && token.length < 16)
      r.fail(`${p}.token`, "must be at least 16 characters");
    return { id, token: token ?? "", roles: r.strList(t, "roles", `${p}.roles`, []) };
  });
  if (env.PARACLE_ADMIN_TOKEN) {
    tokens.push({
      id: env.PARACLE_ADMIN_ID ?? "admin",
      token: env.PARACLE_ADMIN_TOKEN,
      roles: (env.PARACLE_ADMIN_ROLES ?? "admin")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    });
  }
  const adminJwt =
    admin.jwt !== undefined
      ? readJwt(r, r.obj(admin, "jwt", "admin.jwt"), "admin.jwt", path, "roles")
      : undefined;

  const limits = r.obj(root, "limits", "limits");
  r.known(limits, "limits", ["max_body", "max_header", "request_timeout"]);
  const counters = r.obj(root, "counters", "counters");
  r.known(counters, "counters", ["persist", "flush_interval", "max_entries"]);
  const flushIntervalMs = r.duration(counters, "flush_interval", "counters.flush_interval", 1000);
  if (flushIntervalMs <= 0) r.fail("counters.flush_interval", "must be longer than 0 ms");
  const approvals = r.obj(root, "approvals", "approvals");
  r.known(approvals, "approvals", ["mode", "hold_timeout", "progress_interval", "webhook"]);
  const approvalsWebhook = readWebhook(r, approvals, "approvals.webhook", env);
  const mcpObj = r.obj(root, "mcp", "mcp");
  r.known(mcpObj, "mcp", ["denial", "allowed_origins", "justification_arg", "filter_list"]);
  const decide = r.obj(root, "decide", "decide");
  r.known(decide, "decide", ["enabled", "trust_input_agent"]);
  const redaction = r.obj(root, "redaction", "redaction");
  r.known(redaction, "redaction", ["results"]);
  const alerts = r.obj(root, "alerts", "alerts");
  r.known(alerts, "alerts", ["webhook"]);
  const webhook = readWebhook(r, alerts, "alerts.webhook", env);

  const timeZone = r.str(root, "time_zone", "time_zone", "UTC");
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    r.fail("time_zone", `is not a known IANA time zone: ${show(timeZone)}`);
  }
  const failMode = r.oneOf(root, "fail_mode", "fail_mode", ["closed"] as const, "closed");

  const bundleDir = path(r.str(bundle, "dir", "bundle.dir", "bundle"));
  const keyPath = r.str(bundle, "public_key", "bundle.public_key");
  let publicKey: string | undefined;
  if (keyPath !== undefined) publicKey = readText(r, "bundle.public_key", path(keyPath));
  const auditObj = r.obj(root, "audit", "audit");
  r.known(auditObj, "audit", ["signing_key", "signing_key_env", "key_name", "checkpoint_interval"]);
  const signingKeyPath = r.str(auditObj, "signing_key", "audit.signing_key");
  const signingKeyEnv = r.str(auditObj, "signing_key_env", "audit.signing_key_env");
  let signingKey: string | undefined;
  let keyField = "audit.signing_key";
  if (signingKeyPath !== undefined && signingKeyEnv !== undefined)
    r.fail("audit.signing_key_env", "give either `signing_key` (a file) or `signing_key_env`");
  else if (signingKeyPath !== undefined) {
    signingKey = readText(r, "audit.signing_key", path(signingKeyPath));
  } else if (signingKeyEnv !== undefined) {
    keyField = "audit.signing_key_env";
    signingKey = env[signingKeyEnv];
    if (!signingKey) r.fail(keyField, `environment variable ${show(signingKeyEnv)} is not set`);
  }
  if (signingKey && !isEd25519PrivateKey(signingKey))
    r.fail(
      keyField,
      `must be an Ed25519 private key in PEM (PKCS#8), e.g. from \`openssl genpkey -algorithm ed25519\`: ${show(signingKeyPath ?? signingKeyEnv)}`,
    );
  const checkpointIntervalMs = r.duration(
    auditObj,
    "checkpoint_interval",
    "audit.checkpoint_interval",
    60_000,
  );
  if (
    auditObj.checkpoint_interval !== undefined &&
    signingKeyPath === undefined &&
    signingKeyEnv === undefined
  )
    r.fail("audit.checkpoint_interval", "needs `audit.signing_key` or `audit.signing_key_env`");
  const keyName = r.str(auditObj, "key_name", "audit.key_name");
  const requireSignature = r.bool(bundle, "require_signature", "bundle.require_signature", false);
  if (requireSignature && keyPath === undefined)
    r.fail("bundle.require_signature", "needs `bundle.public_key`");

  const config: SidecarConfig = {
    listen: {
      host: r.str(listen, "host", "listen.host", "127.0.0.1"),
      port: r.int(listen, "port", "listen.port", 8080, 0, 65535),
    },
    admin: {
      host: r.str(admin, "host", "admin.host", "127.0.0.1"),
      port: r.int(admin, "port", "admin.port", 8081, 0, 65535),
      tokens,
      jwt: adminJwt,
      publicMetrics: r.bool(admin, "public_metrics", "admin.public_metrics", true),
    },
    bundle: {
      dir: bundleDir,
      publicKey,
      requireSignature,
      watch: r.bool(bundle, "watch", "bundle.watch", true),
    },
    dataDir: path(r.str(root, "data_dir", "data_dir", ".paracle")),
    audit: {
      ...(signingKey !== undefined ? { signingKey } : {}),
      ...(keyName !== undefined ? { keyName } : {}),
      checkpointIntervalMs,
    },
    upstreams,
    routes: { mcp, tools, http, kinds },
    agent,
    identity: { mode, jwt },
    timeZone,
    failMode,
    limits: {
      maxBodyBytes: r.size(limits, "max_body", "limits.max_body", 1024 ** 2),
      maxHeaderBytes: r.size(limits, "max_header", "limits.max_header", 16 * 1024),
      requestTimeoutMs: r.duration(limits, "request_timeout", "limits.request_timeout", 0),
    },
    counters: {
      persist: r.bool(counters, "persist", "counters.persist", true),
      flushIntervalMs,
      maxEntries: r.int(counters, "max_entries", "counters.max_entries", 1_000_000, 1, 1e9),
    },
    approvals: {
      mode: r.oneOf(approvals, "mode", "approvals.mode", ["hold", "async"] as const, "hold"),
      holdTimeoutMs: r.duration(approvals, "hold_timeout", "approvals.hold_timeout", 300_000),
      progressIntervalMs: r.duration(
        approvals,
        "progress_interval",
        "approvals.progress_interval",
        10_000,
      ),
      ...(approvalsWebhook ? { webhook: approvalsWebhook } : {}),
    },
    mcp: {
      denial: r.oneOf(mcpObj, "denial", "mcp.denial", ["result", "error"] as const, "result"),
      allowedOrigins: r.strList(mcpObj, "allowed_origins", "mcp.allowed_origins", []),
      justificationArg: r.str(mcpObj, "justification_arg", "mcp.justification_arg"),
      filterList: r.bool(mcpObj, "filter_list", "mcp.filter_list", true),
    },
    decide: {
      enabled: r.bool(decide, "enabled", "decide.enabled", true),
      trustInputAgent: r.bool(decide, "trust_input_agent", "decide.trust_input_agent", false),
    },
    redaction: { results: r.bool(redaction, "results", "redaction.results", true) },
    alerts: webhook ? { webhook } : {},
    shutdownGraceMs: r.duration(root, "shutdown_grace", "shutdown_grace", 10_000),
  };
  if (
    config.listen.port !== 0 &&
    config.listen.port === config.admin.port &&
    config.listen.host === config.admin.host
  )
    r.fail("admin.port", "must differ from `listen.port`");
  if (mode === "jwt" && !jwt) r.fail("identity.jwt", "is required when `identity.mode` is `jwt`");
  if (r.errors.length > 0) throw new ConfigError(r.errors, opts.source ?? "");
  return config;
}

function readJwt(
  r: FieldReader,
  o: Obj,
  p: string,
  path: (s: string) => string,
  defaultRolesClaim: string,
): JwtIdentityConfig {
  r.known(o, p, ["keys", "issuer", "audience", "algorithms", "roles_claim", "header"]);
  const files = r.strList(o, "keys", `${p}.keys`, []);
  if (files.length === 0)
    r.fail(`${p}.keys`, "must list at least one public key file (PEM or JWKS)");
  return {
    keys: files.map((f, i) => readText(r, `${p}.keys[${i}]`, path(f)) ?? ""),
    issuer: r.str(o, "issuer", `${p}.issuer`),
    audience: r.str(o, "audience", `${p}.audience`),
    algorithms: r.strList(o, "algorithms", `${p}.algorithms`, ["EdDSA", "ES256", "RS256"]),
    rolesClaim: r.str(o, "roles_claim", `${p}.roles_claim`, defaultRolesClaim),
    header: r.str(o, "header", `${p}.header`, "authorization").toLowerCase(),
  };
}

/**
 * A webhook: a URL string, or `{url, headers}` where a header value may come from the environment
 * (`{env: NAME}`) so receiver credentials stay out of the file.
 */
function readWebhook(
  r: FieldReader,
  parent: Obj,
  p: string,
  env: Record<string, string | undefined>,
): WebhookConfig | undefined {
  const v = parent.webhook;
  if (v === undefined || v === null) return undefined;
  const o: Obj = typeof v === "string" ? { url: v } : r.obj(parent, "webhook", p);
  r.known(o, p, ["url", "headers"]);
  const url = r.str(o, "url", `${p}.url`);
  if (url === undefined) {
    r.fail(`${p}.url`, "is required");
    return undefined;
  }
  if (!isHttpUrl(url)) {
    r.fail(`${p}.url`, `must be an http(s) URL without credentials, got ${show(maskUrl(url))}`);
    return undefined;
  }
  const headers: Record<string, string> = {};
  for (const [k, hv] of Object.entries(r.obj(o, "headers", `${p}.headers`))) {
    if (typeof hv === "string") headers[k] = hv;
    else if (hv && typeof hv === "object" && typeof (hv as Obj).env === "string") {
      const name = (hv as Obj).env as string;
      const value = env[name];
      if (value) headers[k] = value;
      else r.fail(`${p}.headers.${k}.env`, `environment variable ${show(name)} is not set`);
    } else r.fail(`${p}.headers.${k}`, "must be a string or `{env: NAME}`");
  }
  return { url, headers };
}

/** A URL for a message: user info masked (it is a credential). */
function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1***@");
}

function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password;
  } catch {
    return false;
  }
}

function readText(r: FieldReader, p: string, file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    r.fail(p, `cannot read ${show(file)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return undefined;
  }
}

function isEd25519PrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === "ed25519";
  } catch {
    return false;
  }
}

function isOrigin(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      (u.protocol === "http:" || u.protocol === "https:") &&
      (u.pathname === "/" || u.pathname === "") &&
      !u.search &&
      !u.username
    );
  } catch {
    return false;
  }
}

function checkPath(r: FieldReader, p: string, v: string): void {
  if (!v.startsWith("/")) r.fail(p, `must start with \`/\`, got ${show(v)}`);
}
