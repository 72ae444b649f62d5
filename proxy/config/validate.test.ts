/**
 * Config validation, field by field: each bad value yields one message naming the field's dotted
 * path (Cedar's style), good values and defaults come through typed, and webhooks read their
 * header credentials from the environment.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./load.js";
import { configProblems as problems } from "./test-helpers/problems.js";
import { ConfigError, validateConfig } from "./validate.js";

describe("validateConfig: one message per bad field", () => {
  const cases: [string, unknown, string][] = [
    ["root", [1], "`(root)`: must be a mapping"],
    ["listen", { listen: 3 }, "`listen`: must be a mapping, got `3`"],
    ["listen.host", { listen: { host: "" } }, "`listen.host`: must be a non-empty string, got ``"],
    [
      "admin.port",
      { admin: { port: -1 } },
      "`admin.port`: must be an integer between 0 and 65535, got `-1`",
    ],
    [
      "admin.public_metrics",
      { admin: { public_metrics: "yes" } },
      "`admin.public_metrics`: must be true or false, got `yes`",
    ],
    ["upstreams.x.url", { upstreams: { x: {} } }, "`upstreams.x.url`: is required"],
    [
      "upstreams.x.url credentials",
      { upstreams: { x: "http://u:p@h:1" } },
      "`upstreams.x.url`: must be an http(s) origin like `http://127.0.0.1:3001`, got `http://***@h:1`",
    ],
    [
      "upstreams.x.timeout",
      { upstreams: { x: { url: "http://h:1", timeout: "soon" } } },
      "`upstreams.x.timeout`: must be a duration like `500ms`, `30s`, `5m`, got `soon`",
    ],
    [
      "upstreams.x.connections",
      { upstreams: { x: { url: "http://h:1", connections: 0 } } },
      "`upstreams.x.connections`: must be an integer between 1 and 10000, got `0`",
    ],
    [
      "upstreams.x.headers",
      { upstreams: { x: { url: "http://h:1", headers: { a: 1 } } } },
      "`upstreams.x.headers.a`: must be a string",
    ],
    [
      "routes.mcp upstream ambiguity",
      { upstreams: { a: "http://h:1", b: "http://h:2" }, routes: { mcp: [{ path: "/mcp" }] } },
      "`routes.mcp[0].upstream`: is required (more than one upstream is configured)",
    ],
    ["routes.mcp item", { routes: { mcp: ["x"] } }, "`routes.mcp[0]`: must be a mapping, got `x`"],
    [
      "routes.http action",
      { upstreams: { a: "http://h:1" }, routes: { http: [{ path: "/x" }] } },
      "`routes.http[0].action`: is required",
    ],
    ["routes.kinds", { routes: { kinds: { echo: 3 } } }, "`routes.kinds.echo`: must be a string"],
    [
      "agent.roles",
      { agent: { roles: "support" } },
      "`agent.roles`: must be a list of strings, got `support`",
    ],
    [
      "agent.trust_level",
      { agent: { trust_level: "high" } },
      "`agent.trust_level`: must be a number, got `high`",
    ],
    [
      "identity.mode",
      { identity: { mode: "oauth" } },
      "`identity.mode`: must be one of `static`, `jwt`, got `oauth`",
    ],
    [
      "identity.jwt.keys file",
      { identity: { mode: "jwt", jwt: { keys: ["missing.pem"] } } },
      "`identity.jwt.keys[0]`: cannot read `/cfg/missing.pem`: ENOENT",
    ],
    [
      "admin.tokens[0].id",
      { admin: { tokens: [{ token: "x".repeat(20) }] } },
      "`admin.tokens[0].id`: is required",
    ],
    [
      "admin.tokens[0].token",
      { admin: { tokens: [{ id: "a" }] } },
      "`admin.tokens[0].token`: is required (or `token_env`)",
    ],
    [
      "limits.max_header",
      { limits: { max_header: 0 } },
      "`limits.max_header`: must be a size like `64kb` or `1mb`, got `0`",
    ],
    [
      "mcp.denial",
      { mcp: { denial: "silent" } },
      "`mcp.denial`: must be one of `result`, `error`, got `silent`",
    ],
    [
      "mcp.allowed_origins",
      { mcp: { allowed_origins: [1] } },
      "`mcp.allowed_origins`: must be a list of strings, got `[1]`",
    ],
    [
      "decide.enabled",
      { decide: { enabled: 1 } },
      "`decide.enabled`: must be true or false, got `1`",
    ],
    [
      "shutdown_grace",
      { shutdown_grace: "-1s" },
      "`shutdown_grace`: must be a duration like `500ms`, `30s`, `5m`, got `-1s`",
    ],
    [
      "alerts.webhook url",
      { alerts: { webhook: "ftp://x" } },
      "`alerts.webhook.url`: must be an http(s) URL without credentials, got `ftp://x`",
    ],
    [
      "approvals.webhook url",
      { approvals: { webhook: {} } },
      "`approvals.webhook.url`: is required",
    ],
    [
      "approvals.webhook header",
      { approvals: { webhook: { url: "http://h/", headers: { a: 1 } } } },
      "`approvals.webhook.headers.a`: must be a string or `{env: NAME}`",
    ],
    [
      "approvals.webhook header env",
      { approvals: { webhook: { url: "http://h/", headers: { a: { env: "HOOK" } } } } },
      "`approvals.webhook.headers.a.env`: environment variable `HOOK` is not set",
    ],
    [
      "webhook credentials masked",
      { alerts: { webhook: "https://user:hunter2@hooks.example/x" } },
      "`alerts.webhook.url`: must be an http(s) URL without credentials, got `https://***@hooks.example/x`",
    ],
    [
      "admin token value never shown",
      { admin: { tokens: [{ id: "a", token: 123456789012345 }] } },
      "`admin.tokens[0].token`: must be a non-empty string (value not shown)",
    ],
    ["typo at the top", { upstream: {} }, "`upstream`: unknown field, did you mean `upstreams`?"],
    [
      "typo in a section",
      { listen: { prot: 1 } },
      "`listen.prot`: unknown field, did you mean `port`?",
    ],
    [
      "same port twice",
      { listen: { port: 9000 }, admin: { port: 9000 } },
      "`admin.port`: must differ from `listen.port`",
    ],
  ];
  it.each(cases)("%s", (_name, raw, message) => {
    expect(problems(raw)).toEqual([message]);
  });

  it("reports every problem at once, prefixed with the source in the error message", () => {
    try {
      validateConfig(
        { listen: { port: "x" }, mcp: { denial: 1 } },
        { baseDir: "/", env: {}, source: "/etc/s.yaml" },
      );
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toBe(
        "invalid sidecar configuration /etc/s.yaml:\n" +
          "  `listen.port`: must be an integer between 0 and 65535, got `x`\n" +
          "  `mcp.denial`: must be one of `result`, `error`, got `1`",
      );
    }
  });
});

describe("validateConfig: defaults and typed values", () => {
  it("fills every default from an empty document", () => {
    const c = validateConfig(null, { baseDir: "/cfg", env: {} });
    expect(c).toMatchObject({
      listen: { host: "127.0.0.1", port: 8080 },
      admin: { host: "127.0.0.1", port: 8081, tokens: [], publicMetrics: true },
      bundle: { dir: "/cfg/bundle", requireSignature: false, watch: true },
      dataDir: "/cfg/.paracle",
      agent: { id: "agent", roles: [] },
      identity: { mode: "static" },
      timeZone: "UTC",
      failMode: "closed",
      limits: { maxBodyBytes: 1_048_576, maxHeaderBytes: 16_384, requestTimeoutMs: 0 },
      mcp: { denial: "result", allowedOrigins: [], filterList: true },
      decide: { enabled: true, trustInputAgent: false },
      redaction: { results: true },
      alerts: {},
      shutdownGraceMs: 10_000,
    });
    expect(c.upstreams.size).toBe(0);
    expect(c.approvals.webhook).toBeUndefined();
  });

  it("types upstreams, routes, durations and sizes, and resolves paths against the base dir", () => {
    const c = validateConfig(
      {
        bundle: { dir: "b" },
        data_dir: "/var/lib/paracle",
        upstreams: {
          demo: { url: "http://127.0.0.1:3001/", timeout: "1.5s", headers: { k: "v" } },
        },
        routes: {
          mcp: [{ path: "/mcp", upstream_path: "/rpc" }],
          tools: { prefix: "/t" },
          http: [{ method: "post", path: "/api/:id", action: "x.y", kind: "write" }],
          kinds: { "files.*": "read" },
        },
        limits: { max_body: "64kb", request_timeout: "30s" },
        approvals: { mode: "async", hold_timeout: "2m" },
        shutdown_grace: 2500,
      },
      { baseDir: "/cfg", env: {} },
    );
    expect(c.bundle.dir).toBe("/cfg/b");
    expect(c.dataDir).toBe("/var/lib/paracle");
    expect(c.upstreams.get("demo")).toEqual({
      name: "demo",
      url: "http://127.0.0.1:3001",
      timeoutMs: 1500,
      idleTimeoutMs: 300_000,
      connectTimeoutMs: 5000,
      connections: 64,
      headers: { k: "v" },
    });
    // one upstream: routes may omit it
    expect(c.routes.mcp).toEqual([{ path: "/mcp", upstream: "demo", upstreamPath: "/rpc" }]);
    expect(c.routes.tools).toEqual({ prefix: "/t/", upstream: "demo", upstreamPrefix: "/tools/" });
    expect(c.routes.http).toEqual([
      { method: "POST", path: "/api/:id", upstream: "demo", action: "x.y", kind: "write" },
    ]);
    expect(c.routes.kinds).toEqual([{ pattern: "files.*", kind: "read" }]);
    expect(c.limits).toEqual({
      maxBodyBytes: 65_536,
      maxHeaderBytes: 16_384,
      requestTimeoutMs: 30_000,
    });
    expect(c.approvals).toEqual({
      mode: "async",
      holdTimeoutMs: 120_000,
      progressIntervalMs: 10_000,
    });
    expect(c.shutdownGraceMs).toBe(2500);
  });

  it("reads webhooks as a URL or {url, headers} with header values from the environment", () => {
    const c = validateConfig(
      {
        alerts: { webhook: "https://hooks.example/alerts" },
        approvals: {
          webhook: {
            url: "https://hooks.example/a",
            headers: { authorization: { env: "HOOK" }, x: "y" },
          },
        },
      },
      { baseDir: "/", env: { HOOK: "Bearer s3cret" } },
    );
    expect(c.alerts.webhook).toEqual({ url: "https://hooks.example/alerts", headers: {} });
    expect(c.approvals.webhook).toEqual({
      url: "https://hooks.example/a",
      headers: { authorization: "Bearer s3cret", x: "y" },
    });
  });

  it("reads JWT identity keys from files and lowercases the header", () => {
    const dir = mkdtempSync(join(tmpdir(), "paracle-cfg-"));
    writeFileSync(join(dir, "k.pem"), "PEM");
    const c = validateConfig(
      {
        identity: { mode: "jwt", jwt: { keys: ["k.pem"], issuer: "iss", header: "X-Agent-Token" } },
      },
      { baseDir: dir, env: {} },
    );
    expect(c.identity).toEqual({
      mode: "jwt",
      jwt: {
        keys: ["PEM"],
        issuer: "iss",
        audience: undefined,
        algorithms: ["EdDSA", "ES256", "RS256"],
        rolesClaim: "roles",
        header: "x-agent-token",
      },
    });
  });

  it("loadConfig names invalid YAML", () => {
    const dir = mkdtempSync(join(tmpdir(), "paracle-cfg-"));
    writeFileSync(join(dir, "s.yaml"), "listen: [1,\n");
    expect(() => loadConfig(join(dir, "s.yaml"))).toThrow(/s\.yaml:\n {2}is not valid YAML/);
  });
});

describe("validateConfig: audit checkpoints", () => {
  const dir = mkdtempSync(join(tmpdir(), "paracle-cfg-audit-"));
  const ed = generateKeyPairSync("ed25519");
  const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
  writeFileSync(join(dir, "audit.pem"), ed.privateKey.export({ type: "pkcs8", format: "pem" }));
  writeFileSync(join(dir, "rsa.pem"), rsa.privateKey.export({ type: "pkcs8", format: "pem" }));

  it("reads an Ed25519 signing key and the checkpoint interval (default 1 min)", () => {
    const c = validateConfig(
      { audit: { signing_key: "audit.pem", key_name: "prod-sidecar" } },
      { baseDir: dir, env: {} },
    );
    expect(c.audit).toMatchObject({ keyName: "prod-sidecar", checkpointIntervalMs: 60_000 });
    expect(c.audit.signingKey).toContain("BEGIN PRIVATE KEY");
    const pem = ed.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const fromEnv = validateConfig(
      { audit: { signing_key_env: "PARACLE_AUDIT_KEY", checkpoint_interval: "30s" } },
      { baseDir: dir, env: { PARACLE_AUDIT_KEY: pem } },
    );
    expect(fromEnv.audit).toEqual({ signingKey: pem, checkpointIntervalMs: 30_000 });
    expect(validateConfig(null, { baseDir: dir, env: {} }).audit).toEqual({
      checkpointIntervalMs: 60_000,
    });
  });

  it("names a key that is not Ed25519, a missing key file and an interval without a key", () => {
    expect(problems({ audit: { signing_key: join(dir, "rsa.pem") } })).toEqual([
      `\`audit.signing_key\`: must be an Ed25519 private key in PEM (PKCS#8), e.g. from \`openssl genpkey -algorithm ed25519\`: \`${join(dir, "rsa.pem")}\``,
    ]);
    expect(problems({ audit: { signing_key: join(dir, "nope.pem") } })).toEqual([
      `\`audit.signing_key\`: cannot read \`${join(dir, "nope.pem")}\`: ENOENT`,
    ]);
    expect(problems({ audit: { checkpoint_interval: "5m", sign: true } })).toEqual([
      "`audit.sign`: unknown field",
      "`audit.checkpoint_interval`: needs `audit.signing_key` or `audit.signing_key_env`",
    ]);
    expect(problems({ audit: { signing_key_env: "PARACLE_AUDIT_KEY" } })).toEqual([
      "`audit.signing_key_env`: environment variable `PARACLE_AUDIT_KEY` is not set",
    ]);
  });
});
