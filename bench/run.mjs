// `npm run bench` — installs the bench's own dependencies (the peers: Cedar-wasm, Cerbos,
// autocannon) on first use, builds the product if needed, runs every section in one run on this
// machine and writes `bench/RESULTS.md` and `bench/results.json` (the same run; --json also prints
// the JSON).
//   node bench/run.mjs [--quick] [--json] [--only a,b]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

const BENCH = import.meta.dirname;
const ROOT = join(BENCH, "..");
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const json = argv.includes("--json");
const onlyIdx = argv.indexOf("--only");
const only = onlyIdx >= 0 ? new Set(argv[onlyIdx + 1].split(",")) : null;

/** Sections in the order they run; each is a standalone script printing Markdown. */
const SECTIONS = [
  {
    id: "expression",
    file: "expression.mjs",
    title: "Condition language: one compiled expression",
  },
  {
    id: "compile",
    file: "compile.mjs",
    title: "Compiler: compile time and decision latency at 1,000 policies",
  },
  { id: "risk", file: "risk.mjs", title: "Risk scoring overhead per decision" },
  { id: "peers", file: "peers.mjs", title: "In process: compiled bundle vs Cedar-wasm" },
  {
    id: "http",
    file: "http.mjs",
    title: "Over HTTP: sidecar /v1/decide (audit on) vs Cerbos /api/check/resources",
  },
  {
    id: "proxy",
    file: "proxy.mjs",
    title: "Proxy overhead: MCP tools/call direct vs passthrough vs sidecar",
  },
  { id: "memory", file: "memory.mjs", title: "Sidecar memory and cold start (1,000-rule bundle)" },
  // last: its 10^6-record log (≈ 1 GB of page cache, then freed) slows this VM for a while after
  { id: "audit", file: "audit.mjs", title: "Audit trail: appends, verification, size" },
];

function ensureInstalled() {
  if (!existsSync(join(BENCH, "node_modules", "@cedar-policy", "cedar-wasm"))) {
    console.error("bench: installing the peers (npm ci in bench/) …");
    execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: BENCH, stdio: "inherit" });
  }
  if (!existsSync(join(ROOT, "dist", "cli", "paracle.js"))) {
    console.error("bench: building the product …");
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  }
}

ensureInstalled();
const started = new Date();
const results = [];
for (const s of SECTIONS) {
  if (only && !only.has(s.id)) continue;
  const file = join(BENCH, s.file);
  if (!existsSync(file)) {
    results.push({ ...s, status: "missing", output: `(${s.file} not present)` });
    continue;
  }
  console.error(`bench: ${s.id} …`);
  const args = [file, ...(quick ? ["--quick"] : [])];
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: (quick ? 3 : 20) * 60_000,
  });
  const seconds = (Date.now() - t0) / 1000;
  const status = r.status === 0 ? "ok" : `failed (exit ${r.status ?? r.signal})`;
  if (r.status !== 0) console.error(r.stderr);
  results.push({
    ...s,
    status,
    seconds,
    output: (r.stdout ?? "").trim(),
    stderr: r.status === 0 ? undefined : r.stderr,
  });
}

const cpu = cpus();
const header = [
  "# Benchmark results",
  "",
  `Measured ${started.toISOString().slice(0, 16).replace("T", " ")} UTC with \`npm run bench${quick ? " -- --quick" : ""}\`, ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s in all.`,
  "",
  `Machine: ${cpu.length} cores (${cpu[0]?.model ?? "unknown CPU"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${process.platform}/${process.arch}.`,
  "All sides of every comparison were measured in this same run on this machine; the load",
  "generator shares the cores with the servers it measures.",
  "",
];
const body = results.map((r) =>
  [
    `## ${r.title}`,
    "",
    `_${r.file}: ${r.status}${r.seconds ? `, ${r.seconds.toFixed(0)} s` : ""}_`,
    "",
    r.output,
    "",
  ].join("\n"),
);
const notesFile = join(BENCH, "NOTES.md");
const notes = existsSync(notesFile)
  ? [(await import("node:fs")).readFileSync(notesFile, "utf8")]
  : [];
writeFileSync(join(BENCH, "RESULTS.md"), [...header, ...body, ...notes].join("\n"));
// both files from the same run, so that they never disagree
const jsonText = `${JSON.stringify({ started, quick, machine: { cores: cpu.length, model: cpu[0]?.model, node: process.version }, results }, null, 2)}\n`;
writeFileSync(join(BENCH, "results.json"), jsonText);
if (json) process.stdout.write(jsonText);
console.error(`bench: wrote ${join(BENCH, "RESULTS.md")}`);
process.exitCode = results.some((r) => r.status !== "ok" && r.status !== "missing") ? 1 : 0;
