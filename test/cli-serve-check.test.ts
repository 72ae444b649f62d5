// `paracle serve --check`: what a start would check (config, bundle and signature, data directory)
// without starting or writing anything; exit 0 ok, 1 not runnable, 2 invalid config (the CLI's
// top-level handler, as for `serve`).
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { registerServe } from "../cli/commands/serve.js";
import { ConfigError } from "../proxy/config/load.js";
import { compileInto, FIXTURE_POLICIES } from "./proxy-helpers/harness.js";

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "paracle-serve-check-"));
  await compileInto(FIXTURE_POLICIES, join(dir, "bundle"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function check(yaml: string): Promise<{ out: string; err: string; code: number }> {
  const file = join(dir, `sidecar-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  let out = "";
  let err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => {
    out += String(c);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => {
    err += String(c);
    return true;
  });
  const program = new Command("paracle").exitOverride();
  registerServe(program);
  try {
    await program.parseAsync(["node", "paracle", "serve", "--config", file, "--check"]);
  } finally {
    vi.restoreAllMocks();
  }
  return { out, err, code: Number(process.exitCode ?? 0) };
}

const base = `listen: { port: 0 }
admin: { port: 0 }
bundle: { dir: bundle }
upstreams: { demo: { url: "http://127.0.0.1:3001" } }
routes: { mcp: [{ path: /mcp, upstream: demo }], tools: { prefix: /tools/, upstream: demo } }
agent: { id: support-bot }
`;

describe("paracle serve --check", () => {
  it("prints what would run and exits 0, creating nothing", async () => {
    const r = await check(`${base}data_dir: data-ok\n`);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toContain("data plane 127.0.0.1:0 (");
    expect(r.out).toMatch(/MCP \/mcp; tools \/tools\/\), agent support-bot \(static identity\)/);
    expect(r.out).toContain("upstreams: demo http://127.0.0.1:3001");
    expect(r.out).toMatch(/bundle .*bundle: [0-9a-f]{12}, \d+ policies, not signed, hot reload/);
    expect(r.out).toMatch(/data dir .*data-ok: writable\n/);
    expect(r.out).toMatch(/: ok\n$/);
    expect(existsSync(join(dir, "data-ok"))).toBe(false);
  });

  it("exits 1 naming the problem when the bundle's signature cannot be verified", async () => {
    const { publicKey } = generateKeyPairSync("ed25519");
    writeFileSync(join(dir, "pub.pem"), publicKey.export({ type: "spki", format: "pem" }));
    const r = await check(
      `${base.replace("bundle: { dir: bundle }", "bundle: { dir: bundle, public_key: pub.pem }")}data_dir: data\n`,
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: bundle .*bundle: .*sig/m);
    expect(r.out).toMatch(/the sidecar would not start\n$/);
  });

  it("exits 1 when the bundle directory is missing", async () => {
    const r = await check(`${base.replace("dir: bundle", "dir: nowhere")}data_dir: data\n`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: bundle .*nowhere: /m);
  });

  it("exits 1 when the data directory cannot be created (checked by a probe, even as root)", async () => {
    const r = await check(`${base}data_dir: /proc/paracle-data\n`);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error: data dir /proc/paracle-data: `/proc` is not writable");
  });

  it("says when the data directory's audit log is in use by a running sidecar, and stays ok", async () => {
    mkdirSync(join(dir, "busy"), { recursive: true });
    // a child process holds the writer lock, as a running sidecar would
    const { spawn } = await import("node:child_process");
    const { transpileAudit } = await import("./audit-helpers/transpile.js");
    const jsRoot = transpileAudit();
    const holder = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const { AuditTrail } = await import(${JSON.stringify(`file://${join(jsRoot, "runtime/audit/index.js")}`)});
         await AuditTrail.open({ path: ${JSON.stringify(join(dir, "busy", "audit"))} });
         process.stdout.write("ready\\n"); setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
      const r = await check(`${base}data_dir: busy\n`);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`its audit log is in use by process ${holder.pid} on`);
    } finally {
      holder.kill();
      rmSync(jsRoot, { recursive: true, force: true });
    }
  });

  it("reports every bad field like a start does (ConfigError, exit 2 from the CLI)", async () => {
    await expect(check("listen: { port: 99999 }\nfoo: 1\n")).rejects.toThrow(ConfigError);
    await expect(check("listen: { port: 99999 }\nfoo: 1\n")).rejects.toThrow(
      /`foo`: unknown field[\s\S]*`listen.port`: must be an integer between 0 and 65535/,
    );
  });
});
