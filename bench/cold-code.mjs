// Why one-connection latency moves so much on this machine: the same work costs several times more
// right after the process idled (caches and branch predictors cold, the core clocked down or given
// to another process), and at one call at a time every process of the chain idles between calls.
// Times the audit's record encoding (dist/) hot, and after 1 ms and 5 ms of idle.
//   npm run build && node bench/cold-code.mjs
import { join } from "node:path";
import { ensureBuilt, ROOT } from "./lib/paracle.mjs";
import { percentile, table } from "./lib/stats.mjs";

ensureBuilt();
const { encodeRecord } = await import(join(ROOT, "dist", "runtime", "audit", "record.js"));
const event = (i) => ({
  type: "policy.evaluation",
  actor: { id: "bench-agent", kind: "agent" },
  action: "echo",
  risk: { score: 0, level: "low" },
  policy: { decision: "allow", matched: ["allow-echo"], bundle: `sha256:${"0".repeat(64)}` },
  outcome: "success",
  context: { protocol: "mcp", reasons: ["allowed by allow-echo"] },
  correlation_id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
});
const prev = "0".repeat(64);
for (let i = 0; i < 20_000; i++) encodeRecord(event(i), i, Date.now(), prev);

const rows = [];
let hot;
for (const gapMs of [0, 1, 5]) {
  const samples = [];
  for (let i = 0; i < 400; i++) {
    await new Promise((r) => (gapMs ? setTimeout(r, gapMs) : setImmediate(r)));
    const t0 = process.hrtime.bigint();
    encodeRecord(event(i), i, Date.now(), prev);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  samples.sort((a, b) => a - b);
  const p50 = percentile(samples, 50);
  hot ??= p50;
  rows.push([
    gapMs ? `after ${gapMs} ms idle` : "hot (next loop turn)",
    `${p50.toFixed(1)} µs`,
    `${(p50 / hot).toFixed(1)}×`,
  ]);
}
console.log(table(["one record encoding", "p50", "vs hot"], rows));
