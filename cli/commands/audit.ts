import { createWriteStream, readFileSync } from "node:fs";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import {
  AuditExporter,
  type AuditQuery,
  AuditTrail,
  formatVerifyReport,
  RetentionPolicy,
  type VerifyReport,
  verifyExport,
} from "../../runtime/audit/index.js";

const dirOption = [
  "--dir <path>",
  "audit log directory (LMDB)",
  process.env.PARACLE_AUDIT_DIR ?? "data/audit",
] as const;
const time = (s: string | undefined) =>
  s === undefined ? undefined : Number.isNaN(Date.parse(s)) ? Number(s) : Date.parse(s);
const read = (file: string | undefined) => (file ? readFileSync(file, "utf8") : undefined);

/** Opens the log for writing (`lock: false`: without its writer lock, for commands that do not append). */
async function withTrail<T>(
  dir: string,
  fn: (t: AuditTrail) => Promise<T>,
  key?: string,
  lock = true,
): Promise<T> {
  const trail = await AuditTrail.open({
    path: dir,
    lock,
    ...(key ? { signingKey: read(key)! } : {}),
  });
  try {
    return await fn(trail);
  } finally {
    await trail.close();
  }
}

/**
 * Reads an existing log without writing to it: verify, search, stats and export run beside the
 * sidecar that writes it, and on a copy kept on read-only media.
 */
async function readTrail<T>(dir: string, fn: (t: AuditTrail) => Promise<T>): Promise<T> {
  const trail = await AuditTrail.open({ path: dir, readOnly: true });
  try {
    return await fn(trail);
  } finally {
    await trail.close();
  }
}

/** Registers `paracle audit verify|search|stats|export|retention|checkpoint`. */
export function registerAudit(program: Command): void {
  const audit = program
    .command("audit")
    .description("verify, search, export and prune the tamper-evident audit log");

  audit
    .command("verify")
    .description("recompute every hash, the chain, the Merkle tree and checkpoint signatures")
    .option(...dirOption)
    .option(
      "--from-checkpoint <file>",
      "a checkpoint kept elsewhere that the log must still extend",
    )
    .option("--public-key <pem>", "Ed25519 public key the checkpoints are signed with")
    .option("--key-name <name>", "signed-note key name (default: the checkpoint origin)")
    .option("--export <file>", "verify an exported JSON/JSONL file or an archive offline")
    .option("--checkpoint <file>", "checkpoint for --export")
    .option("--json", "print the report as JSON")
    .action(async (o) => {
      const publicKey = read(o.publicKey);
      let report: VerifyReport;
      if (o.export) {
        if (!publicKey) throw new Error("`--export` needs `--public-key`");
        const checkpoint = read(o.checkpoint);
        report = await verifyExport(o.export, {
          publicKey,
          ...(checkpoint ? { checkpoint } : {}),
          ...(o.keyName ? { keyName: o.keyName } : {}),
        });
      } else {
        const fromCheckpoint = read(o.fromCheckpoint);
        report = await readTrail(o.dir, (t) =>
          t.verify({
            ...(publicKey ? { publicKey } : {}),
            ...(o.keyName ? { keyName: o.keyName } : {}),
            ...(fromCheckpoint ? { fromCheckpoint } : {}),
          }),
        );
      }
      process.stdout.write(
        `${o.json ? JSON.stringify(report, null, 2) : formatVerifyReport(report)}\n`,
      );
      process.exitCode = report.ok ? 0 : 1;
    });

  audit
    .command("search")
    .description("query records through the secondary indexes (one page per call)")
    .option(...dirOption)
    .option("--since <time>", "ISO time or ms, inclusive")
    .option("--until <time>", "ISO time or ms, exclusive")
    .option("--actor <id>")
    .option("--action <name>")
    .option("--type <type>")
    .option("--outcome <outcome>")
    .option("--level <level>")
    .option("--risk-min <n>")
    .option("--risk-max <n>")
    .option("--policy <id>")
    .option("--correlation-id <id>")
    .option("--limit <n>", "page size", "100")
    .option("--cursor <cursor>", "continue after a previous page")
    .action(async (o) => {
      const q: AuditQuery = {};
      const from = time(o.since);
      const to = time(o.until);
      if (from !== undefined) q.from = from;
      if (to !== undefined) q.to = to;
      for (const k of ["actor", "action", "type", "outcome", "level", "policy"] as const)
        if (o[k]) (q as Record<string, unknown>)[k] = o[k];
      if (o.correlationId) q.correlation_id = o.correlationId;
      if (o.riskMin !== undefined) q.riskMin = Number(o.riskMin);
      if (o.riskMax !== undefined) q.riskMax = Number(o.riskMax);
      const page = await readTrail(o.dir, (t) =>
        t.query(q, { limit: Number(o.limit), ...(o.cursor ? { cursor: o.cursor } : {}) }),
      );
      for (const r of page.records) process.stdout.write(`${JSON.stringify(r)}\n`);
      if (page.next) process.stderr.write(`next page: --cursor ${page.next}\n`);
    });

  audit
    .command("stats")
    .description("counts by type, outcome and risk level; top actors and actions")
    .option(...dirOption)
    .option("--since <time>")
    .option("--until <time>")
    .action(async (o) => {
      const from = time(o.since);
      const to = time(o.until);
      const stats = await readTrail(o.dir, (t) =>
        t.stats({ ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }),
      );
      process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
    });

  audit
    .command("export")
    .description("stream the log as json, jsonl, csv, cef, leef, syslog, ocsf or ecs")
    .option(...dirOption)
    .requiredOption("--format <format>")
    .option("--since <time>")
    .option("--until <time>")
    .option("--out <file>", "write to a file instead of stdout")
    .option("--framing <framing>", "syslog framing: octet or lf", "octet")
    .action(async (o) => {
      const since = time(o.since);
      const until = time(o.until);
      const out = o.out ? createWriteStream(o.out) : process.stdout;
      const n = await readTrail(o.dir, (t) =>
        new AuditExporter(t.storage).export(out, {
          format: o.format,
          framing: o.framing,
          ...(since !== undefined ? { since } : {}),
          ...(until !== undefined ? { until } : {}),
        }),
      );
      process.stderr.write(`exported ${n} records\n`);
    });

  const retention = audit.command("retention").description("retention rules, archival and pruning");
  const policyOf = (file: string | undefined) =>
    file ? new RetentionPolicy(parseYaml(read(file)!)) : RetentionPolicy.defaults();
  retention
    .command("show")
    .option(
      "--config <file>",
      "retention rules (YAML or JSON: {rules: [{type, level, days}], defaultDays})",
    )
    .action((o) => {
      const p = policyOf(o.config);
      process.stdout.write(
        `${JSON.stringify({ rules: p.rules, defaultDays: p.defaultDays }, null, 2)}\n`,
      );
      for (const w of p.warnings()) process.stderr.write(`warning: ${w}\n`);
    });
  retention
    .command("apply")
    .option(...dirOption)
    .option("--config <file>")
    .option("--archive-dir <dir>", "where archives are written", "data/audit-archive")
    .option("--key <pem>", "Ed25519 private key signing the pre-pruning checkpoint")
    .option("--dry-run", "only report what would be archived and pruned")
    .action(async (o) => {
      const p = policyOf(o.config);
      for (const w of p.warnings()) process.stderr.write(`warning: ${w}\n`);
      const res = await withTrail(
        o.dir,
        (t) => p.apply(t, { archiveDir: o.archiveDir, dryRun: Boolean(o.dryRun) }),
        o.key,
      );
      process.stdout.write(
        `${JSON.stringify({ expired: res.expired, runs: res.runs.length, archive: res.archive, sha256: res.sha256 }, null, 2)}\n`,
      );
    });

  audit
    .command("checkpoint")
    .description("sign and store a checkpoint now; prints the signed note")
    .option(...dirOption)
    .requiredOption("--key <pem>", "Ed25519 private key (PKCS#8 PEM)")
    .action(async (o) => {
      // appends nothing: runs beside the sidecar that holds the writer lock
      process.stdout.write(await withTrail(o.dir, (t) => t.checkpoint(), o.key, false));
    });
}
