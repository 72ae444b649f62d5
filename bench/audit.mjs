// Audit trail benchmark: node bench/audit.mjs [--quick]   (run `npm run build` first)
// Prints: appends/s committed (hashing + Merkle + indexes) and verify records/s at 10^5 and 10^6
// records (the larger log runs last: freeing its ≈ 1 GB of page cache slows this VM for a while,
// so `npm run bench` also runs this section last), appends/s flushed,
// p50/p99 append latency under a steady 5,000 records/s load, p50/p99 of one awaited append at a
// time (concurrency 1), bytes on disk per record. Each row runs after a warm-up (10k appends and
// two verifications on a throwaway log).
// PARACLE_AUDIT_MODULE=<path to runtime/audit/index.js> benchmarks another build (before/after).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { auditEvent } from "./lib/audit-event.mjs";

const modulePath = process.env.PARACLE_AUDIT_MODULE
  ? pathToFileURL(resolve(process.env.PARACLE_AUDIT_MODULE)).href
  : new URL("../dist/runtime/audit/index.js", import.meta.url).href;
const { AuditTrail } = await import(modulePath);
const { uuidv7 } = await import(new URL("../dist/runtime/ids/uuid7.js", import.meta.url).href);

const args = process.argv.slice(2);
// appends, verification and size at 10^5 and 10^6 records (issue 8 §5); --quick: 2*10^4 only
const SIZES = args.includes("--quick") ? [20_000] : [100_000, 1_000_000];
const N = SIZES[0];
const LOAD_SECONDS = args.includes("--quick") ? 2 : 5;
const root = mkdtempSync(join(tmpdir(), "paracle-audit-bench-"));

// correlation ids time-ordered, as the sidecar writes them (v4 ids: ≈ 21–27% fewer appends/s,
// bench/audit-ids.mjs)
const event = (i) => auditEvent(i, uuidv7());

async function appendMany(trail, n, burst = 2_000) {
  const t0 = performance.now();
  for (let i = 0; i < n; i += burst) {
    let last;
    for (let j = i; j < Math.min(n, i + burst); j++) last = trail.append(event(j));
    await last;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function steadyLoad(trail, perSecond, seconds) {
  const lat = [];
  const perTick = perSecond / 1000;
  let owed = 0;
  let i = 0;
  const start = performance.now();
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      owed = elapsed * perTick - i;
      for (; owed >= 1; owed--) {
        const t = performance.now();
        trail.append(event(i++)).then(() => lat.push(performance.now() - t));
      }
      if (elapsed >= seconds * 1000) {
        clearInterval(timer);
        trail.drain().then(resolve);
      }
    }, 1);
  });
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  return {
    n: lat.length,
    rate: lat.length / seconds,
    p50: q(0.5),
    p99: q(0.99),
    max: lat[lat.length - 1],
  };
}

async function oneAtATime(trail, n) {
  const lat = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await trail.append(event(i));
    lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  return { p50: q(0.5), p99: q(0.99) };
}

const rows = [];
/** Appends, verification and size of a committed log of `n` records. */
async function committedRows(n) {
  const path = join(root, `committed-${n}`);
  const trail = await AuditTrail.open({ path, durability: "committed" });
  const rate = await appendMany(trail, n);
  const at = `${n.toLocaleString("en")} records`;
  rows.push([
    `appends/s, committed (hash + chain + Merkle + 9 indexes), ${at}`,
    Math.round(rate),
    ">= 50,000",
  ]);
  // verification reads and never writes: the median of three walks (one walk moved by ±25%
  // between runs on this shared machine)
  const rates = [];
  for (let i = 0; i < 3; i++) {
    const report = await trail.verify();
    if (!report.ok) throw new Error(`verify failed: ${report.firstBad?.message}`);
    rates.push(report.size / (report.ms / 1000));
  }
  rates.sort((a, b) => a - b);
  rows.push([
    `verify records/s, median of 3 (hash, chain, tree nodes; ${n >= 50_000 ? "2 threads" : "1 thread"}), ${at}`,
    Math.round(rates[1]),
    ">= 200,000",
  ]);
  await trail.close();
  const st = statSync(join(path, "data.mdb"));
  rows.push([
    `bytes on disk per record (data.mdb, allocated), ${at}`,
    Math.round((st.blocks * 512) / n),
    "",
  ]);
  rmSync(path, { recursive: true, force: true });
}

{
  // Warm-up on a throwaway log, so the measured rows see optimised code (a 20k-record --quick run
  // would otherwise spend a large share of its time in the interpreter and baseline tiers).
  const trail = await AuditTrail.open({ path: join(root, "warm-up"), durability: "committed" });
  await appendMany(trail, 10_000);
  await trail.verify();
  await trail.verify();
  await trail.close();
}
await committedRows(SIZES[0]);
{
  const trail = await AuditTrail.open({ path: join(root, "flushed"), durability: "flushed" });
  const rate = await appendMany(trail, Math.min(N, 20_000));
  rows.push(["appends/s, flushed (fsync per group commit)", Math.round(rate), ""]);
  await trail.close();
}
{
  const trail = await AuditTrail.open({ path: join(root, "serial"), durability: "committed" });
  await oneAtATime(trail, 200); // warm-up
  const r = await oneAtATime(trail, args.includes("--quick") ? 2_000 : 10_000);
  rows.push([
    "one append at a time (concurrency 1), committed: p50 / p99 (ms)",
    `${r.p50.toFixed(3)} / ${r.p99.toFixed(3)}`,
    "p50 <= 0.3 ms",
  ]);
  await trail.close();
}
for (const durability of ["committed", "flushed"]) {
  const trail = await AuditTrail.open({ path: join(root, `load-${durability}`), durability });
  const r = await steadyLoad(trail, 5_000, LOAD_SECONDS);
  rows.push([
    `append latency at 5,000/s, ${durability}: p50 / p99 / max (ms)`,
    `${r.p50.toFixed(2)} / ${r.p99.toFixed(2)} / ${r.max.toFixed(2)}`,
    `${Math.round(r.rate)}/s sustained`,
  ]);
  await trail.close();
}
// the larger log last: writing back its gigabyte of pages would disturb the latency rows above
for (const n of SIZES.slice(1)) await committedRows(n);
rmSync(root, { recursive: true, force: true });

console.log(
  `\naudit trail, ${SIZES.map((n) => n.toLocaleString("en")).join(" and ")} records, node ${process.version}\n`,
);
const w = [
  Math.max(...rows.map((r) => r[0].length)),
  Math.max(...rows.map((r) => String(r[1]).length)),
  18,
];
console.log(`| ${"metric".padEnd(w[0])} | ${"value".padStart(w[1])} | ${"target".padEnd(w[2])} |`);
console.log(`|${"-".repeat(w[0] + 2)}|${"-".repeat(w[1] + 2)}|${"-".repeat(w[2] + 2)}|`);
for (const [m, v, t] of rows)
  console.log(`| ${m.padEnd(w[0])} | ${String(v).padStart(w[1])} | ${t.padEnd(w[2])} |`);
