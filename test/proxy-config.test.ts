/** Sidecar configuration: defaults, every bad field named, env tokens, examples/sidecar.yaml. */
import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, validateConfig } from "../proxy/config/load.js";
import { configProblems as problems } from "../proxy/config/test-helpers/problems.js";

describe("sidecar config", () => {
  it("has defaults that start a sidecar", () => {
    const c = validateConfig({}, { baseDir: "/cfg", env: {} });
    expect(c.listen).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(c.admin.host).toBe("127.0.0.1");
    expect(c.bundle.dir).toBe("/cfg/bundle");
    expect(c.dataDir).toBe("/cfg/.paracle");
    expect(c.failMode).toBe("closed");
    expect(c.approvals).toEqual({
      mode: "hold",
      holdTimeoutMs: 300_000,
      progressIntervalMs: 10_000,
    });
    expect(c.limits.maxBodyBytes).toBe(1024 * 1024);
  });

  it("names every bad field with a clear message", () => {
    const p = problems({
      listen: { port: 70000 },
      upstreams: { a: { url: "ftp://x" }, b: { url: "http://h:1/path" } },
      routes: { mcp: [{ path: "mcp", upstream: "zzz" }] },
      approvals: { mode: "later", hold_timout: "5m" },
      fail_mode: "open",
      time_zone: "Mars/Olympus",
      limits: { max_body: "huge" },
    });
    expect(p).toContain("`listen.port`: must be an integer between 0 and 65535, got `70000`");
    expect(p).toContain(
      "`upstreams.a.url`: must be an http(s) origin like `http://127.0.0.1:3001`, got `ftp://x`",
    );
    expect(p.some((m) => m.startsWith("`upstreams.b.url`"))).toBe(true);
    expect(p).toContain("`routes.mcp[0].path`: must start with `/`, got `mcp`");
    expect(p).toContain("`routes.mcp[0].upstream`: names no configured upstream: `zzz`");
    expect(p).toContain("`approvals.mode`: must be one of `hold`, `async`, got `later`");
    expect(p).toContain("`approvals.hold_timout`: unknown field, did you mean `hold_timeout`?");
    expect(p).toContain("`fail_mode`: must be one of `closed`, got `open`");
    expect(p).toContain("`time_zone`: is not a known IANA time zone: `Mars/Olympus`");
    expect(p).toContain("`limits.max_body`: must be a size like `64kb` or `1mb`, got `huge`");
  });

  it("reads admin tokens from the environment and refuses missing or short ones", () => {
    const c = validateConfig(
      { admin: { tokens: [{ id: "lena", token_env: "LEAD", roles: ["team-lead"] }] } },
      {
        baseDir: "/",
        env: { LEAD: "0123456789abcdef0123", PARACLE_ADMIN_TOKEN: "fedcba9876543210fedc" },
      },
    );
    expect(c.admin.tokens).toEqual([
      { id: "lena", token: "0123456789abcdef0123", roles: ["team-lead"] },
      { id: "admin", token: "fedcba9876543210fedc", roles: ["admin"] },
    ]);
    expect(problems({ admin: { tokens: [{ id: "x", token_env: "NOPE" }] } })).toContain(
      "`admin.tokens[0].token_env`: environment variable `NOPE` is not set",
    );
    expect(problems({ admin: { tokens: [{ id: "x", token: "short" }] } })).toContain(
      "`admin.tokens[0].token`: must be at least 16 characters",
    );
  });

  it("requires JWT keys in jwt identity mode and a key for required signatures", () => {
    const p = problems({ identity: { mode: "jwt" }, bundle: { require_signature: true } });
    expect(p).toContain(
      "`identity.jwt.keys`: must list at least one public key file (PEM or JWKS)",
    );
    expect(p).toContain("`bundle.require_signature`: needs `bundle.public_key`");
  });

  it("loads examples/sidecar.yaml (with its token variables set)", () => {
    const env = {
      PARACLE_LEAD_TOKEN: "a".repeat(20),
      PARACLE_SECURITY_TOKEN: "b".repeat(20),
      PARACLE_FINANCE_TOKEN: "c".repeat(20),
      PARACLE_AUDIT_KEY: generateKeyPairSync("ed25519")
        .privateKey.export({ type: "pkcs8", format: "pem" })
        .toString(),
    };
    const c = loadConfig(join(import.meta.dirname, "..", "examples", "sidecar.yaml"), env);
    expect(c.routes.mcp[0]).toEqual({ path: "/mcp", upstream: "demo", upstreamPath: "/mcp" });
    expect(c.upstreams.get("demo")?.url).toBe("http://127.0.0.1:3001");
    expect(c.admin.tokens.map((t) => t.id)).toEqual(["lena", "sam", "fiona"]);
    expect(c.audit.checkpointIntervalMs).toBe(60_000);
  });

  it("reports unreadable files and invalid YAML with the path", () => {
    expect(() => loadConfig("/nonexistent/sidecar.yaml")).toThrow(/cannot read the file: ENOENT/);
  });
});
