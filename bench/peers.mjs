// Issue 8 §1, §2: the same workload in Paracle YAML, Cedar and Cerbos; an equivalence check on
// every input; in-process latency of our compiled bundle vs Cedar-wasm (preparsed policy set).
//   node bench/peers.mjs [--quick] [--json]
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { compileYaml, ensureBuilt, importBundle, ROOT } from "./lib/paracle.mjs";
import { fmtNs, fmtRate, table, timeCalls } from "./lib/stats.mjs";
import { prepareCedar } from "./peers/cedar.mjs";
import {
  cedarRequest,
  expected,
  inputs,
  paracleInput,
  toCedar,
  toParacleYaml,
} from "./workload/generate.mjs";

export async function runInProcess({ quick = false } = {}) {
  ensureBuilt();
  const sizes = quick ? [10, 100, 1000] : [10, 100, 1000, 10000];
  const work = join(ROOT, "bench", "work", "peers");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const cases = inputs(quick ? 500 : 2000);
  const rows = [];
  const mismatches = [];
  const results = [];
  for (const size of sizes) {
    const { bundleDir, compileMs } = compileYaml(work, `n${size}`, toParacleYaml(size));
    const { mod } = await importBundle(bundleDir);
    const ours = cases.map(paracleInput);
    const cedarReqs = cases.map(cedarRequest);
    const cedar = prepareCedar(toCedar(size), `bench-${size}`);
    // Equivalence: every engine against the reference answer.
    let oursBad = 0;
    let cedarBad = 0;
    let allows = 0;
    for (let i = 0; i < cases.length; i++) {
      const want = expected(size, cases[i]);
      if (want === "allow") allows++;
      const got = mod.decide(ours[i]).decision;
      if (got !== want) {
        oursBad++;
        if (mismatches.length < 5)
          mismatches.push({ engine: "paracle", size, input: cases[i], want, got });
      }
      const c = cedar(cedarReqs[i]);
      if (c !== want) {
        cedarBad++;
        if (mismatches.length < 5)
          mismatches.push({ engine: "cedar", size, input: cases[i], want, got: c });
      }
    }
    const n = cases.length;
    const oursIters = quick ? 100_000 : 300_000;
    const cedarIters = Math.max(
      200,
      Math.min(20_000, Math.floor((quick ? 2e8 : 6e8) / (size * 2000 + 60_000))),
    );
    const p = timeCalls((i) => mod.decide(ours[i % n]), { iterations: oursIters });
    const c = timeCalls((i) => cedar(cedarReqs[i % n]), {
      iterations: cedarIters,
      warmup: Math.min(200, cedarIters),
    });
    const ratio = p.perSecond / c.perSecond;
    results.push({
      size,
      compileMs,
      paracle: p,
      cedar: c,
      ratio,
      mismatches: { paracle: oursBad, cedar: cedarBad },
      allows,
      inputs: n,
    });
    rows.push([
      String(size),
      fmtNs(p.p50),
      fmtNs(p.p99),
      fmtRate(p.perSecond),
      fmtNs(c.p50),
      fmtNs(c.p99),
      fmtRate(c.perSecond),
      `${ratio.toFixed(0)}×`,
      `${oursBad}/${cedarBad} of ${n} (${allows} allow)`,
      `${compileMs.toFixed(0)} ms`,
    ]);
  }
  const md = table(
    [
      "rules",
      "paracle p50",
      "paracle p99",
      "paracle dec/s",
      "cedar p50",
      "cedar p99",
      "cedar dec/s",
      "ratio",
      "mismatches (ours/cedar)",
      "compile (CLI)",
    ],
    rows,
  );
  return { md, results, mismatches };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes("--quick");
  const r = await runInProcess({ quick });
  if (process.argv.includes("--json")) console.log(JSON.stringify(r, null, 2));
  else {
    console.log("## In process: compiled bundle vs Cedar-wasm (statefulIsAuthorized, preparsed)\n");
    console.log(r.md);
    if (r.mismatches.length) console.log("\nmismatches:", JSON.stringify(r.mismatches, null, 2));
  }
}
