/**
 * `paracle serve --check`: everything a start would check, without starting — the config (every
 * bad field named), the bundle (loaded and its signature verified as the sidecar would), the data
 * directory (writable: a probe directory is created and removed) — and what the sidecar would run
 * with. Nothing else is written: the audit log is not opened, so a check runs beside a running
 * sidecar (for a config about to replace its own).
 */
import { existsSync, mkdtempSync, rmdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { lockHolder } from "../runtime/audit/lock.js";
import { loadBundle } from "../runtime/engine/index.js";
import { loadConfig } from "./config/load.js";
import type { SidecarConfig } from "./config/types.js";

export interface CheckReport {
  /** The sidecar would start with this config. */
  ok: boolean;
  /** What it would run with, then each problem (prefixed `error:`). */
  lines: string[];
  config: SidecarConfig;
}

/** Throws `ConfigError` (every bad field) like a start does; other problems are in the report. */
export async function checkConfigFile(
  configPath: string,
  env: Record<string, string | undefined> = process.env,
): Promise<CheckReport> {
  const config = loadConfig(configPath, env);
  const lines: string[] = [];
  const problems: string[] = [];
  const mcp = config.routes.mcp.map((r) => r.path);
  const routes = [
    mcp.length ? `MCP ${mcp.join(", ")}` : undefined,
    config.routes.tools ? `tools ${config.routes.tools.prefix}` : undefined,
    config.routes.http.length ? `${config.routes.http.length} HTTP route(s)` : undefined,
  ].filter(Boolean);
  lines.push(
    `data plane ${config.listen.host}:${config.listen.port} (${routes.join("; ") || "no routes"}), agent ${config.agent.id} (${config.identity.mode} identity)`,
    `admin ${config.admin.host}:${config.admin.port} (${config.admin.tokens.length} token(s)${config.admin.jwt ? ", JWT" : ""})`,
    `upstreams: ${[...config.upstreams.values()].map((u) => `${u.name} ${u.url}`).join(", ") || "none"}`,
  );
  try {
    const bundle = await loadBundle(config.bundle.dir, {
      publicKey: config.bundle.publicKey,
      requireSignature: config.bundle.requireSignature,
    });
    lines.push(
      `bundle ${config.bundle.dir}: ${bundle.hash.slice(0, 12)}, ${bundle.manifest.policies.length} policies, ${bundle.signed ? "signature verified" : "not signed"}${config.bundle.watch ? ", hot reload" : ""}`,
    );
  } catch (e) {
    problems.push(`bundle ${config.bundle.dir}: ${(e as Error).message}`);
  }
  const writable = nearestExisting(config.dataDir);
  let canWrite = true;
  try {
    // a probe directory, removed at once (permission bits alone say nothing for root)
    rmdirSync(mkdtempSync(join(writable, ".paracle-check-")));
  } catch {
    canWrite = false;
    problems.push(`data dir ${config.dataDir}: \`${writable}\` is not writable`);
  }
  if (canWrite) {
    const audit = join(config.dataDir, "audit");
    const holder = existsSync(audit) ? lockHolder(audit) : undefined;
    lines.push(
      `data dir ${config.dataDir}: writable${holder ? `; its audit log is in use by process ${holder.pid} on \`${holder.host}\` (a second sidecar on it would be refused)` : ""}`,
    );
  }
  lines.push(
    `audit: ${config.audit.signingKey ? `checkpoints signed every ${config.audit.checkpointIntervalMs / 1000} s` : "no signing key (no checkpoints signed)"}; counters: ${config.counters.persist ? `persisted every ${config.counters.flushIntervalMs} ms` : "in memory"}`,
  );
  for (const p of problems) lines.push(`error: ${p}`);
  return { ok: problems.length === 0, lines, config };
}

function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}
