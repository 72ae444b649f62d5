// Compiler benchmark (issue 3): compile 1,000 policies (< 1 s) and evaluate a 1,000-policy bundle
// (p99 ≤ 5 µs per decision), side by side with a naive linear scan over all rules using the same
// compiled conditions. Run with `npm run build && node bench/compile.mjs`.

import { compilePolicies, importBundleText } from "../dist/compiler/index.js";
import { compileExpression, PRELUDE, parseExpression } from "../dist/grammar/index.js";
import { timeCalls } from "./lib/stats.mjs";

const N = 1000;
const SERVICES = 100;
const OPS = [
  "read",
  "list",
  "write",
  "update",
  "delete",
  "send",
  "exec",
  "refund",
  "export",
  "drop",
];

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function workload() {
  const r = rng(42);
  const rules = [];
  for (let i = 0; i < N; i++) {
    const svc = `svc${Math.floor(r() * SERVICES)}`;
    const op = OPS[Math.floor(r() * OPS.length)];
    const k = r();
    const action = k < 0.1 ? `${svc}.*` : `${svc}.${op}`;
    const type = k < 0.55 ? "allow" : k < 0.8 ? "deny" : k < 0.9 ? "require_approval" : "audit";
    const c = r();
    const when =
      c < 0.4
        ? `args.amount > ${Math.floor(r() * 1000)}`
        : c < 0.7
          ? `resource.env == "production" && "ops" in agent.roles`
          : c < 0.85
            ? `agent.trust_level >= ${Math.floor(r() * 5)} || args.amount < 10`
            : undefined;
    rules.push({ id: `p${i}`, type, action, when });
  }
  const yaml = [
    "apiVersion: paracle.dev/v1",
    "kind: PolicySet",
    "metadata: { name: bench }",
    "policies:",
    ...rules.map(
      (p) =>
        `  - { id: ${p.id}, type: ${p.type}, match: { actions: ["${p.action}"] }${p.when ? `, when: '${p.when}'` : ""} }`,
    ),
    "",
  ].join("\n");
  return { rules, yaml };
}

function inputs(count) {
  const r = rng(7);
  return Array.from({ length: count }, () => ({
    agent: {
      id: "agent-1",
      roles: r() < 0.5 ? ["ops"] : ["dev"],
      trust_level: Math.floor(r() * 5),
    },
    action: { name: `svc${Math.floor(r() * SERVICES)}.${OPS[Math.floor(r() * OPS.length)]}` },
    args: { amount: Math.floor(r() * 1000) },
    resource: { env: r() < 0.3 ? "production" : "dev" },
    time: "2026-01-05T10:00:00Z",
  }));
}

/** Baseline: every rule's action pattern and condition checked for every decision. */
function naiveScan(rules) {
  const hoisted = [];
  const fns = rules.map((p, i) => {
    if (!p.when) return "() => true";
    const { ast } = parseExpression(p.when);
    const c = compileExpression(ast, { prefix: `n${i}` });
    hoisted.push(...c.hoisted);
    return `(ctx) => (${c.expression})`;
  });
  const conds = new Function(`${PRELUDE}\n${hoisted.join("\n")}\nreturn [${fns.join(",\n")}];`)();
  const re = rules.map(
    (p) => new RegExp(`^${p.action.replace(/\./g, "\\.").replace(/\*/g, ".*")}$`),
  );
  return (input) => {
    let deny = false;
    let allow = false;
    let approval = false;
    for (let i = 0; i < rules.length; i++) {
      if (!re[i].test(input.action.name)) continue;
      let hit;
      try {
        hit = conds[i](input) === true;
      } catch {
        hit = rules[i].type !== "allow";
      }
      if (!hit) continue;
      if (rules[i].type === "deny") deny = true;
      else if (rules[i].type === "allow") allow = true;
      else if (rules[i].type === "require_approval") approval = true;
    }
    return deny ? "deny" : approval ? "require_approval" : allow ? "allow" : "deny";
  };
}

const { rules, yaml } = workload();
const texts = [{ file: "bench.yaml", text: yaml }];

const t0 = performance.now();
let result = compilePolicies(texts);
const coldMs = performance.now() - t0;
if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
const warm = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  result = compilePolicies(texts);
  warm.push(performance.now() - t);
}
warm.sort((a, b) => a - b);

const bundle = await importBundleText(result.files["bundle.mjs"]);
const ins = inputs(2000);
const naive = naiveScan(rules);
let disagreements = 0;
for (const i of ins) if (naive(i) !== bundle.decide(i).decision) disagreements++;

const iterations = 200_000;
const compiled = timeCalls((k) => bundle.decide(ins[k % ins.length]), { iterations });
const baseline = timeCalls((k) => naive(ins[k % ins.length]), { iterations: 50_000 });
const evaluated = ins.map((i) => bundle.candidates(i.action.name).length);
const meanEvaluated = evaluated.reduce((a, b) => a + b, 0) / evaluated.length;

const us = (ns) => (ns / 1000).toFixed(2);
console.log(`# paracle-compile bench (${N} policies, node ${process.version})\n`);
console.log("| step | result | target |");
console.log("|---|---|---|");
console.log(
  `| compile ${N} policies, first run in process (incl. ts-morph warm-up) | ${coldMs.toFixed(0)} ms | < 1000 ms |`,
);
console.log(`| compile ${N} policies, warm (median of 3) | ${warm[1].toFixed(0)} ms | < 1000 ms |`);
console.log(`| bundle.mjs size | ${(result.files["bundle.mjs"].length / 1024).toFixed(0)} KiB | |`);
console.log("\n| evaluator | p50 µs | p99 µs | decisions/s | rules evaluated per decision |");
console.log("|---|---|---|---|---|");
console.log(
  `| compiled bundle (action index) | ${us(compiled.p50)} | ${us(compiled.p99)} | ${Math.round(compiled.perSecond)} | mean ${meanEvaluated.toFixed(1)}, max ${Math.max(...evaluated)} |`,
);
console.log(
  `| baseline: naive linear scan, same compiled conditions | ${us(baseline.p50)} | ${us(baseline.p99)} | ${Math.round(baseline.perSecond)} | ${N} |`,
);
console.log(
  `\nverdicts: compiled and baseline disagree on ${disagreements} of ${ins.length} inputs (expected 0)`,
);
const ok = coldMs < 1000 && compiled.p99 <= 5000 && disagreements === 0;
console.log(ok ? "targets met" : "TARGETS MISSED");
// a --quick run (a smoke run) reports the timing targets, a full run judges them; a disagreement
// between the evaluators is a failure either way
const quick = process.argv.includes("--quick");
if (quick && !ok && disagreements === 0)
  console.log("(--quick: timing targets are judged on full runs)");
process.exitCode = ok || (quick && disagreements === 0) ? 0 : 1;
console.log(
  `\nstage timings of the last warm compile (ms): ${Object.entries(result.timings)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(", ")}`,
);
