/**
 * Starts the demo tool server, compiles the e2e policy fixture into a bundle and starts a sidecar
 * in front of it on loopback, with real runtime parts (engine, approvals in LMDB, audit log).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compilePolicyDir, formatDiagnostics, writeBundle } from "../../compiler/index.js";
import {
  type DemoToolServer,
  startDemoToolServer,
} from "../../examples/demo-tool-server/server.mjs";
import { validateConfig } from "../../proxy/config/validate.js";
import { openRuntimeParts, type RuntimeParts } from "../../proxy/parts.js";
import { type Sidecar, startSidecar } from "../../proxy/sidecar.js";
import { AuditTrail } from "../../runtime/audit/index.js";
import { MemoryAudit } from "./memory-audit.js";

export const FIXTURE_POLICIES = join(import.meta.dirname, "..", "proxy-fixtures", "policies");

export const TOKENS = {
  admin: "admin-token-0123456789abcdef",
  lead: "lead-token-0123456789abcdef",
  sec: "sec-token-0123456789abcdef",
  both: "both-token-0123456789abcdef",
};

export interface Harness {
  demo: DemoToolServer;
  sidecar: Sidecar;
  parts: RuntimeParts;
  audit: MemoryAudit;
  trail: AuditTrail;
  dir: string;
  bundleDir: string;
  admin(
    path: string,
    init?: { method?: string; body?: unknown; token?: string },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** Compiles `policyDir` into `outDir`; throws with the diagnostics if it does not compile. */
export async function compileInto(policyDir: string, outDir: string): Promise<void> {
  const result = await compilePolicyDir(policyDir);
  if (!result.ok)
    throw new Error(
      `fixture policies do not compile:\n${formatDiagnostics(result.diagnostics, new Map())}`,
    );
  await writeBundle(result, outDir);
}

export async function startHarness(
  overrides: Record<string, unknown> = {},
  opts: { policies?: string; upstreamUrl?: string; upstreamTimeout?: string } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "paracle-e2e-"));
  const bundleDir = join(dir, "bundle");
  await compileInto(opts.policies ?? FIXTURE_POLICIES, bundleDir);
  const demo = await startDemoToolServer({ port: 0 });
  const config = validateConfig(
    {
      listen: { port: 0 },
      admin: {
        port: 0,
        tokens: [
          { id: "root", token: TOKENS.admin, roles: ["admin"] },
          { id: "lena", token: TOKENS.lead, roles: ["team-lead"] },
          { id: "sam", token: TOKENS.sec, roles: ["security"] },
          { id: "bo", token: TOKENS.both, roles: ["team-lead", "security"] },
        ],
      },
      bundle: { dir: bundleDir, watch: true },
      data_dir: join(dir, "data"),
      upstreams: {
        demo: { url: opts.upstreamUrl ?? demo.url, timeout: opts.upstreamTimeout ?? "2s" },
      },
      routes: {
        mcp: [{ path: "/mcp", upstream: "demo" }],
        tools: { prefix: "/tools/", upstream: "demo" },
        http: [
          {
            method: "POST",
            path: "/api/orders/:id/refund",
            upstream: "demo",
            action: "payments.refund",
          },
        ],
      },
      agent: { id: "support-bot", roles: ["support"], trust_level: 3, owner: "olga" },
      approvals: { mode: "hold", hold_timeout: "20s", progress_interval: "100ms" },
      ...overrides,
    },
    { baseDir: dir, env: {} },
  );
  const auditDir = join(dir, "data", "audit");
  mkdirSync(auditDir, { recursive: true });
  const trail = await AuditTrail.open({ path: auditDir, durability: "committed" });
  const audit = new MemoryAudit(trail);
  const parts = await openRuntimeParts(config, { audit });
  const sidecar = await startSidecar(config, parts);
  return {
    demo,
    sidecar,
    parts,
    audit,
    trail,
    dir,
    bundleDir,
    admin: (path, init = {}) =>
      fetch(sidecar.adminUrl + path, {
        method: init.method ?? (init.body ? "POST" : "GET"),
        headers: {
          authorization: `Bearer ${init.token ?? TOKENS.admin}`,
          "content-type": "application/json",
        },
        ...(init.body ? { body: JSON.stringify(init.body) } : {}),
      }),
    async close() {
      await sidecar.close();
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `fn` until it returns a truthy value (bounded). */
export async function eventually<T>(fn: () => Promise<T> | T, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Parses a JSON response body (untyped on purpose: tests assert its shape). */
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary fields
export const json = (r: Response): Promise<any> => r.json();
