// Issue 8 §6: sidecar memory (RSS idle and under load) with a 1,000-rule bundle, and cold start
// (process spawn to /readyz answering 200), median of several starts.
//   node bench/memory.mjs [--quick] [--json]
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { load } from "./lib/load.mjs";
import { compileYaml, ensureBuilt, ROOT } from "./lib/paracle.mjs";
import { startSidecar } from "./lib/sidecar.mjs";
import { table } from "./lib/stats.mjs";
import { inputs, paracleInput, toParacleYaml } from "./workload/generate.mjs";

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

function config(work, bundleDir, n) {
  return [
    "listen: { host: 127.0.0.1, port: 39710 }",
    "admin: { host: 127.0.0.1, port: 39711, tokens: [{ id: bench, token: bench-admin-token-0123456789, roles: [admin] }] }",
    `bundle: { dir: ${JSON.stringify(bundleDir)}, watch: false }`,
    `data_dir: ${JSON.stringify(join(work, `data-${n}`))}`,
    "decide: { enabled: true, trust_input_agent: true }",
    "",
  ].join("\n");
}

export async function runMemory({ quick = false } = {}) {
  ensureBuilt();
  const work = join(ROOT, "bench", "work", "memory");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const { bundleDir } = compileYaml(work, "n1000", toParacleYaml(1000));
  const starts = [];
  const runs = quick ? 3 : 7;
  let idle = Number.NaN;
  let loaded = Number.NaN;
  let rps = Number.NaN;
  for (let i = 0; i < runs; i++) {
    const s = await startSidecar({
      dir: work,
      adminPort: 39711,
      configYaml: config(work, bundleDir, i),
    });
    starts.push(s.readyMs);
    if (i === runs - 1) {
      await new Promise((r) => setTimeout(r, 1000));
      idle = rssMiB(s.pid);
      let peak = 0;
      const timer = setInterval(() => {
        peak = Math.max(peak, rssMiB(s.pid));
      }, 100);
      const r = await load({
        url: "http://127.0.0.1:39710/v1/decide",
        bodies: inputs(64, 3).map(paracleInput),
        connections: 32,
        seconds: quick ? 2 : 10,
      });
      clearInterval(timer);
      loaded = Math.max(peak, rssMiB(s.pid));
      rps = r.rps;
    }
    await s.stop();
  }
  starts.sort((a, b) => a - b);
  const md = table(
    ["bundle", "cold start (median of " + runs + ")", "RSS idle", "RSS under load (peak)", "load"],
    [
      [
        "1,000 rules",
        `${starts[Math.floor(runs / 2)].toFixed(0)} ms`,
        `${idle.toFixed(0)} MiB`,
        `${loaded.toFixed(0)} MiB`,
        `/v1/decide, 32 connections, ${rps.toFixed(0)} req/s`,
      ],
    ],
  );
  return { md, coldStartMs: starts, idleMiB: idle, loadMiB: loaded };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runMemory({ quick: process.argv.includes("--quick") });
  console.log(process.argv.includes("--json") ? JSON.stringify(r, null, 2) : r.md);
}
