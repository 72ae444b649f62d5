#!/usr/bin/env node
import { compileExpression, PRELUDE, parseExpression } from "../dist/grammar/index.js";
/**
 * Expression benchmark: one 10-clause condition, evaluated with the compiled code (PRELUDE +
 * hoisted declarations + expression, loaded like a bundle) and with the tree-walking interpreter
 * (the baseline), in the same run. Prints median and p99 nanoseconds per evaluation.
 *
 *   npm run build && node bench/expression.mjs [--batches 400] [--batch 1000]
 *
 * Method: evaluations run in batches; each batch is timed with process.hrtime.bigint() and
 * divided by its size; the median and p99 are over batches, after a warm-up.
 */
import { checkForEvaluation, Interpreter } from "../dist/grammar/interpreter.js";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const BATCHES = arg("batches", 400);
const BATCH = arg("batch", 1000);

const CONDITION = [
  "agent.trust_level >= 3",
  '"admin" in agent.roles',
  'action.kind == "write"',
  "args.amount < max_refund",
  'resource.env != "production"',
  "!(action.name in dangerous_tools)",
  'time.getHours("Europe/Paris") >= 8',
  "size(args.items) <= 10",
  'args.path.startsWith("/srv/")',
  "risk.score < 70",
].join(" && ");
const constants = { max_refund: 500, dangerous_tools: ["shell.exec", "fs.delete", "db.drop"] };
const contexts = [0, 1, 2, 3].map((i) => ({
  agent: { id: `agent-${i}`, roles: ["support", "admin"], trust_level: 3 + i, owner: "ops" },
  action: { name: "files.write", kind: "write", phase: "call" },
  args: { amount: 100 + i, items: [1, 2, 3], path: `/srv/data/${i}.txt` },
  resource: { env: "staging" },
  time: `2026-03-02T${String(8 + i).padStart(2, "0")}:15:00Z`,
  risk: { score: 20 + i, level: "low", factors: {} },
}));

const { ast, diagnostics } = parseExpression(CONDITION);
if (!ast) throw new Error(diagnostics.map((d) => d.message).join("\n"));
const { expression, hoisted } = compileExpression(ast, { constants, prefix: "bench" });
// The same text a bundle inlines, loaded once (generated code only; literals are JSON).
const compiled = new Function(
  `"use strict";\n${PRELUDE}\n${hoisted.join("\n")}\nreturn function condition(ctx) { return ${expression}; };`,
)();
const info = checkForEvaluation(ast, constants);
const interpreted = (ctx) => new Interpreter(info, ctx).eval(ast);

for (const ctx of contexts) {
  if (compiled(ctx) !== true || interpreted(ctx) !== true) throw new Error("condition should hold");
}

function measure(fn) {
  let sink = 0;
  const perEval = [];
  for (let b = 0; b < BATCHES + 20; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) if (fn(contexts[i & 3])) sink++;
    const ns = Number(process.hrtime.bigint() - start) / BATCH;
    if (b >= 20) perEval.push(ns);
  }
  if (sink === 0) throw new Error("unreachable");
  perEval.sort((a, b) => a - b);
  const at = (q) => perEval[Math.min(perEval.length - 1, Math.floor(q * perEval.length))];
  return { median: at(0.5), p99: at(0.99) };
}

const rows = [
  ["compiled", measure(compiled)],
  ["interpreter (baseline)", measure(interpreted)],
];
const fmt = (n) => n.toFixed(1).padStart(10);
console.log(`condition (10 clauses): ${CONDITION}\n`);
console.log(`node ${process.version}, ${BATCHES} batches x ${BATCH} evaluations\n`);
console.log("| evaluator              | median ns/eval |   p99 ns/eval |");
console.log("| ---------------------- | -------------: | ------------: |");
for (const [name, r] of rows) {
  console.log(`| ${name.padEnd(22)} | ${fmt(r.median)}     | ${fmt(r.p99)}    |`);
}
const speedup = rows[1][1].median / rows[0][1].median;
console.log(`\ncompiled is ${speedup.toFixed(1)}x faster than the interpreter (median)`);
