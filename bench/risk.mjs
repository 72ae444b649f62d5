// Risk scoring benchmark (issue 4): what the default pack's RiskModel adds to a decision on typical
// tool calls. Baseline = the same pack compiled without its RiskModel, measured in the same run,
// in alternating blocks (so drift and noise hit both sides alike). Target: ≤ 2 µs added at p99.
// Run with `npm run build && node bench/risk.mjs` (add `--quick` for a short run).

import { join } from "node:path";
import { compilePolicies, importBundleText, readPolicyDir } from "../dist/compiler/index.js";
import { RiskScorer } from "../dist/compiler/risk/scorer.js";
import { fmtNs, fmtRate, percentile, table } from "./lib/stats.mjs";

const quick = process.argv.includes("--quick");
const BLOCK = 5_000;
const ROUNDS = quick ? 10 : 40;
const SEGMENTS = 5; // the p99 difference is also computed per fifth of the run (median used)
const TARGET_NS = 2_000;

const root = join(import.meta.dirname, "..");
const texts = await readPolicyDir(join(root, "policies"));
const riskText = texts.find((t) => t.file === "risk.yaml");
if (!riskText) throw new Error("policies/risk.yaml not found");

async function bundleOf(files) {
  const result = compilePolicies(files);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return importBundleText(result.files["bundle.mjs"]);
}
const withRisk = await bundleOf(texts);
const withoutRisk = await bundleOf(texts.filter((t) => t !== riskText));
const scorer = RiskScorer.fromYaml(riskText.text);

// Typical tool calls of a governed agent, as the engine passes them (time and history filled).
const agent = { id: "ops-bot", roles: ["ops"], trust_level: 2 };
const history = { calls: 42, denials: 1, errors: 0, rate: 0.7, anomaly: 0.3 };
const time = "2025-03-04T10:00:00.000Z";
const inputs = [
  {
    agent,
    action: { name: "files.read", kind: "read" },
    args: { path: "/srv/reports/q3-summary.txt", encoding: "utf8", max_bytes: 65536 },
    resource: { env: "staging" },
  },
  {
    agent,
    action: { name: "db.query", kind: "read" },
    args: { sql: "SELECT id, status FROM orders WHERE customer_id = $1 LIMIT 50", params: [42] },
    resource: { env: "staging" },
  },
  {
    agent,
    action: { name: "search.docs", kind: "read" },
    args: { query: "how to rotate the on-call schedule", limit: 10 },
  },
  {
    agent,
    action: { name: "email.send", kind: "communicate" },
    args: {
      to: "ops@example.com",
      subject: "nightly report",
      body: "All jobs finished, 3 warnings.",
    },
  },
].map((i) => ({ ...i, time, history }));

// Sanity: both bundles decide the same way on these inputs; only `risk` differs.
for (const input of inputs) {
  const a = withRisk.decide(input);
  const b = withoutRisk.decide(input);
  if (a.decision !== b.decision) throw new Error(`decisions differ on ${input.action.name}`);
  if (a.risk.factors.length !== 8 || b.risk.factors.length !== 0)
    throw new Error("unexpected risk");
}

function block(fn, samples, offset) {
  for (let i = 0; i < BLOCK; i++) {
    const input = inputs[i & 3];
    const t0 = process.hrtime.bigint();
    fn(input);
    samples[offset + i] = Number(process.hrtime.bigint() - t0);
  }
}

const decideWith = (input) => withRisk.decide(input);
const decideWithout = (input) => withoutRisk.decide(input);
const riskOnly = (input) => scorer.score(input);

// warm-up (JIT) on every path
for (let r = 0; r < 4; r++) {
  const scratch = new Float64Array(BLOCK);
  block(decideWithout, scratch, 0);
  block(decideWith, scratch, 0);
  block(riskOnly, scratch, 0);
}

const n = BLOCK * ROUNDS;
const s = { without: new Float64Array(n), with: new Float64Array(n), risk: new Float64Array(n) };
const wallStart = process.hrtime.bigint();
for (let r = 0; r < ROUNDS; r++) {
  block(decideWithout, s.without, r * BLOCK);
  block(decideWith, s.with, r * BLOCK);
  block(riskOnly, s.risk, r * BLOCK);
}
const wallS = Number(process.hrtime.bigint() - wallStart) / 1e9;

const stats = (a) => {
  const sorted = Float64Array.from(a).sort();
  const mean = sorted.reduce((x, y) => x + y, 0) / sorted.length;
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean, rate: 1e9 / mean };
};
const w = stats(s.without);
const r = stats(s.with);
const k = stats(s.risk);
const added = { p50: r.p50 - w.p50, p99: r.p99 - w.p99, mean: r.mean - w.mean };
// Per-call p99s on a shared machine are dominated by preemptions and GC: the p99 difference of
// each fifth of the run is computed too, and the verdict uses the median of these estimates.
const seg = n / SEGMENTS;
const segP99 = [];
for (let i = 0; i < SEGMENTS; i++) {
  const a = stats(s.without.subarray(i * seg, (i + 1) * seg));
  const b = stats(s.with.subarray(i * seg, (i + 1) * seg));
  segP99.push(b.p99 - a.p99);
}
const medianP99 = [...segP99].sort((x, y) => x - y)[Math.floor(SEGMENTS / 2)];

console.log(
  `# Risk scoring overhead (${n.toLocaleString("en")} decisions per configuration, ${inputs.length} typical tool calls, ${wallS.toFixed(1)} s)\n`,
);
console.log(
  table(
    ["configuration", "p50", "p99", "mean", "decisions/s (1/mean)"],
    [
      [
        "decide, pack without RiskModel (baseline)",
        fmtNs(w.p50),
        fmtNs(w.p99),
        fmtNs(w.mean),
        fmtRate(w.rate),
      ],
      [
        "decide, pack with its RiskModel (8 factors)",
        fmtNs(r.p50),
        fmtNs(r.p99),
        fmtNs(r.mean),
        fmtRate(r.rate),
      ],
      [
        "**added by risk scoring**",
        `**${fmtNs(added.p50)}**`,
        `**${fmtNs(added.p99)}**`,
        `**${fmtNs(added.mean)}**`,
        "–",
      ],
      [
        "`$risk` alone (RiskScorer.score)",
        fmtNs(k.p50),
        fmtNs(k.p99),
        fmtNs(k.mean),
        fmtRate(k.rate),
      ],
    ],
  ),
);
console.log(
  "\nper-call timings include the hrtime timer (~50–100 ns), on both sides of the difference",
);
console.log(`p99 difference per fifth of the run: ${segP99.map(fmtNs).join(", ")}`);
const pass = medianP99 <= TARGET_NS;
console.log(
  `\nrisk scoring adds ${fmtNs(added.p50)} at p50 and ${fmtNs(medianP99)} at p99 (median of ${SEGMENTS} segments; whole run ${fmtNs(added.p99)}); target ≤ ${fmtNs(TARGET_NS)} at p99: ${pass ? "PASS" : "FAIL"}`,
);
// a --quick run (a smoke run: fewer, less warmed-up samples) reports the target, a full run judges it
if (quick) console.log("(--quick: the target is judged on full runs)");
process.exitCode = pass || quick ? 0 : 1;
