/**
 * Stage 3 of the risk model compiler: the JavaScript of `$risk(ctx)`. The text uses only the
 * grammar PRELUDE (`$pg_*`), the compiled expressions and the `$rk_*` helpers below, so it can be
 * inlined in an import-free bundle. Same model ⇒ same text (everything is emitted in document
 * order).
 *
 * Semantics (docs/risk-scoring.md):
 * - a factor's raw value = kind value (+ adjustments), then its `clamp`; if the expression fails
 *   at run time the factor takes `on_error` (default: its `max`, i.e. fail toward risk) and the
 *   factor result carries `error`;
 * - an adjustment whose `when` fails counts when it adds risk (add > 0) and not when it removes
 *   risk, like the compiler's fail-closed rule for deny/allow conditions;
 * - normalized = clamp(raw / max, 0, 1); the score is rounded to 2 decimals before the level is
 *   chosen, so floating-point noise never moves a score across a boundary.
 */
import { globToRegExp } from "../glob.js";
import type { FactorSpec, RiskModelSpec } from "./model.js";

/** A compiled expression of the condition language: a JS expression over `ctx`. */
export interface CompiledPart {
  expression: string;
  hoisted: string[];
}

/** Compiled expressions of a model, by factor index (adjustments by index too). */
export interface CompiledModelExpressions {
  factors: { value: CompiledPart; adjustments: CompiledPart[] }[];
  combination?: CompiledPart;
  /** Top-level input names the model's expressions read (e.g. `args`, `resource`). */
  roots: string[];
}

/** JSON text that is also a safe JS literal (U+2028/U+2029 escaped). */
export const lit = (v: unknown): string =>
  JSON.stringify(v)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

/** Comment text that cannot close the comment or break the line. */
const comment = (s: string): string =>
  s.replace(/\*\//g, "* /").replace(/[\r\n\u2028\u2029]/g, " ");

/** Helpers of every generated model (constant text). */
export const RISK_HELPERS = `function $rk_message(e) {
  return e !== null && typeof e === "object" && typeof e.message === "string" ? e.message : String(e);
}
function $rk_number(v) {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  throw new Error("the factor value is not a finite number");
}
function $rk_round(x) {
  return Math.round(x * 100) / 100;
}
function $rk_key(v) {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}
// Lookup: a list looks up each element and keeps the highest value; no match gives the default.
// find: 0 exact (table is a Map), 1 glob rows, 2 contains rows; memo: the factor's memo map of
// glob/contains results (null for exact tables), created once with the table.
function $rk_lookup(v, find, table, memo, dflt) {
  if (typeof v === "string") {
    const r = $rk_find(v, find, table, memo);
    return r === undefined ? dflt : r;
  }
  if (Array.isArray(v)) {
    let best;
    for (let i = 0; i < v.length; i++) {
      const k = $rk_key(v[i]);
      const r = k === undefined ? undefined : $rk_find(k, find, table, memo);
      if (r !== undefined && (best === undefined || r > best)) best = r;
    }
    return best === undefined ? dflt : best;
  }
  const k = $rk_key(v);
  const r = k === undefined ? undefined : $rk_find(k, find, table, memo);
  return r === undefined ? dflt : r;
}
// glob and contains: every matching key counts, the highest value wins (order-independent).
// Glob rows are [mode, text, value]: 0 equal, 1 prefix ("a.*"), 2 suffix ("*.read"), 3 infix
// ("*x*"), 4 any ("*"), 5 RegExp (other globs) — the same matches as the glob, without a regex
// for the common shapes.
// Tool and resource names repeat across calls: glob and contains results are memoised per
// table (a pure function of the key), in a bounded map cleared when full.
function $rk_find(k, find, table, memo) {
  if (find === 0) return table.get(k);
  if (k.length > 256) return find === 1 ? $rk_globScan(k, table) : $rk_containsScan(k, table);
  let r = memo.get(k);
  if (r === undefined) {
    if (memo.size >= 1024) memo.clear();
    r = find === 1 ? $rk_globScan(k, table) : $rk_containsScan(k, table);
    memo.set(k, r === undefined ? null : r);
  }
  return r === null ? undefined : r;
}
function $rk_globScan(k, table) {
  let best;
  for (let i = 0; i < table.length; i++) {
    const row = table[i];
    const t = row[1];
    let hit;
    switch (row[0]) {
      case 0: hit = k === t; break;
      case 1: hit = k.startsWith(t); break;
      case 2: hit = k.endsWith(t); break;
      case 3: hit = k.indexOf(t) >= 0; break;
      case 4: hit = true; break;
      default: hit = t.test(k);
    }
    if (hit && (best === undefined || row[2] > best)) best = row[2];
  }
  return best;
}
function $rk_containsScan(k, table) {
  let best;
  for (let i = 0; i < table.length; i++) {
    if (k.indexOf(table[i][0]) >= 0 && (best === undefined || table[i][1] > best)) best = table[i][1];
  }
  return best;
}
// Bands are half-open: from <= v < to (validated non-overlapping).
function $rk_band(v, bands, dflt) {
  if (typeof v !== "number" || !Number.isFinite(v)) return dflt;
  for (let i = 0; i < bands.length; i++) if (v >= bands[i][0] && v < bands[i][1]) return bands[i][2];
  return dflt;
}
// The model reads absent optional objects of the input (args, resource, workflow, session,
// history) as empty, so \`has(resource.env)\` is false rather than an error; \`$risk\` copies
// the input only when an object the model uses is absent (see viewCode).
function $rk_result(id, raw, weight, max, error) {
  const n = raw / max;
  const r = { id: id, raw: raw, normalized: n < 0 ? 0 : n > 1 ? 1 : n, weight: weight, contribution: 0 };
  if (error !== undefined) r.error = error;
  return r;
}
`;

/** The model used when the bundle has no RiskModel: score 0, level `low`, no effect. */
export const DEFAULT_RISK_CODE = `function $risk(ctx) {
  return { score: 0, level: "low", factors: [], action: "allow", alert: false };
}`;

export function generateRisk(
  model: RiskModelSpec,
  compiled: CompiledModelExpressions,
  file: string,
): { code: string; hoisted: string[] } {
  const hoisted: string[] = [];
  const out: string[] = [
    `// risk model ${lit(model.name)}${file ? ` (${comment(file)})` : ""}`,
    RISK_HELPERS,
  ];
  for (const [i, c] of compiled.factors.entries()) {
    hoisted.push(...c.value.hoisted);
    for (const a of c.adjustments) hoisted.push(...a.hoisted);
    out.push(factorCode(model.factors[i]!, i, c, file));
  }
  if (model.detectors.length > 0) {
    const list = model.detectors.map(
      (d) =>
        `{ id: ${lit(d.id)}, sensitivity: ${lit(d.sensitivity)}, re: new RegExp(${lit(d.pattern)}, ${lit(d.flags)}) }`,
    );
    hoisted.push(`const $rk_DETECTORS = $pg_addDetectors([${list.join(", ")}]);`);
  }
  if (compiled.combination) {
    hoisted.push(...compiled.combination.hoisted);
    out.push(`function $rk_combine(ctx) {\n  return ${compiled.combination.expression};\n}`);
  }
  out.push(riskFunction(model, compiled.roots));
  return { code: out.join("\n"), hoisted };
}

function factorCode(
  f: FactorSpec,
  i: number,
  c: CompiledModelExpressions["factors"][number],
  file: string,
): string {
  const lines: string[] = [];
  const where = `${comment(file)}:${f.span.line}`;
  lines.push(`// factor ${lit(f.id)} (${where})`);
  let value: string;
  if (f.kind === "expression") {
    value = c.value.expression;
  } else if (f.kind === "lookup") {
    if (f.match === "exact") {
      lines.push(
        `const $rk_table_${i} = new Map([${f.table.map((e) => `[${lit(e.key)}, ${lit(e.value)}]`).join(", ")}]);`,
      );
      value = `$rk_lookup(${c.value.expression}, 0, $rk_table_${i}, null, ${lit(f.default)})`;
    } else if (f.match === "glob") {
      const rows = f.table.map((e) => `[${globRow(e.key)}, ${lit(e.value)}]`);
      lines.push(`const $rk_table_${i} = [${rows.join(", ")}];`);
      lines.push(`const $rk_memo_${i} = new Map();`);
      value = `$rk_lookup(${c.value.expression}, 1, $rk_table_${i}, $rk_memo_${i}, ${lit(f.default)})`;
    } else {
      lines.push(
        `const $rk_table_${i} = [${f.table.map((e) => `[${lit(e.key)}, ${lit(e.value)}]`).join(", ")}];`,
      );
      lines.push(`const $rk_memo_${i} = new Map();`);
      value = `$rk_lookup(${c.value.expression}, 2, $rk_table_${i}, $rk_memo_${i}, ${lit(f.default)})`;
    }
  } else {
    const sorted = [...f.bands].sort((a, b) => a.from - b.from);
    lines.push(
      `const $rk_bands_${i} = [${sorted.map((b) => `[${lit(b.from)}, ${lit(b.to)}, ${lit(b.value)}]`).join(", ")}];`,
    );
    value = `$rk_band(${c.value.expression}, $rk_bands_${i}, ${lit(f.default)})`;
  }
  for (const [j, a] of c.adjustments.entries()) {
    lines.push(`function $rk_when_${i}_${j}(ctx) {\n  return ${a.expression};\n}`);
  }
  const body = [`  let v = $rk_number(${value});`];
  // inline $rk_when: a condition that fails adds its risk (add > 0) and never removes any
  for (const [j, a] of f.adjustments.entries())
    body.push(
      `  try {\n    v += $rk_when_${i}_${j}(ctx) === true ? ${lit(a.add)} : 0;\n  } catch (e) {\n    v += ${lit(Math.max(a.add, 0))};\n  }`,
    );
  if (f.clamp)
    body.push(
      `  v = v < ${lit(f.clamp[0])} ? ${lit(f.clamp[0])} : v > ${lit(f.clamp[1])} ? ${lit(f.clamp[1])} : v;`,
    );
  // v is finite here unless an adjustment overflowed it (then the factor fails, as before)
  body.push(f.adjustments.length > 0 ? "  return $rk_number(v);" : "  return v;");
  lines.push(`function $rk_factor_${i}(ctx) {\n${body.join("\n")}\n}`);
  return lines.join("\n");
}

/** `mode, text` of a glob row (see `$rk_globScan`); `*` matches any run of characters, `?` one. */
export function globRow(glob: string): string {
  if (glob.includes("?")) return `5, new RegExp(${lit(globToRegExp(glob).source)}, "su")`;
  const stars = glob.split("*").length - 1;
  if (stars === 0) return `0, ${lit(glob)}`;
  if (glob === "*") return `4, ""`;
  if (stars === 1 && glob.endsWith("*")) return `1, ${lit(glob.slice(0, -1))}`;
  if (stars === 1 && glob.startsWith("*")) return `2, ${lit(glob.slice(1))}`;
  if (stars === 2 && glob.startsWith("*") && glob.endsWith("*") && glob.length > 2) {
    return `3, ${lit(glob.slice(1, -1))}`;
  }
  return `5, new RegExp(${lit(globToRegExp(glob).source)}, "su")`;
}

/** Top-level objects a model may read that the input may omit (read as `{}` by the model). */
export const OPTIONAL_OBJECTS = ["args", "resource", "workflow", "session", "history"] as const;

/**
 * `$rk_view(ctx)`: the input as the model reads it. When an optional object the model uses is
 * absent, the view is a new object holding only the input's own properties named in the model
 * (`roots`, a superset of the names the expressions read, which is all they can read), with the
 * absent optional objects as `{}`: the expressions read what they read on the input itself (own
 * properties, as `$pg_get` does), without copying the keys no expression reads. `__proto__` as a
 * name falls back to the full copy (`Object.assign`).
 */
function viewCode(roots: readonly string[]): string {
  const used = OPTIONAL_OBJECTS.filter((k) => roots.includes(k));
  if (used.length === 0) return "function $rk_view(ctx) {\n  return ctx;\n}";
  const present = used.map((k) => `ctx.${k} !== undefined`).join(" && ");
  if (roots.includes("__proto__")) {
    const fill = used.map((k) => `  if (v.${k} === undefined) v.${k} = {};`).join("\n");
    return `function $rk_view(ctx) {\n  if (${present}) return ctx;\n  const v = Object.assign({}, ctx);\n${fill}\n  return v;\n}`;
  }
  const copy = roots.map((k) => {
    const key = lit(k);
    if ((OPTIONAL_OBJECTS as readonly string[]).includes(k)) {
      return `  const ${k} = $rk_hasOwn.call(ctx, ${key}) ? ctx[${key}] : undefined;\n  v[${key}] = ${k} === undefined ? {} : ${k};`;
    }
    return `  if ($rk_hasOwn.call(ctx, ${key})) v[${key}] = ctx[${key}];`;
  });
  return `const $rk_hasOwn = Object.prototype.hasOwnProperty;\nfunction $rk_view(ctx) {\n  if (${present}) return ctx;\n  const v = {};\n${copy.join("\n")}\n  return v;\n}`;
}

function riskFunction(model: RiskModelSpec, roots: readonly string[]): string {
  const totalWeight = model.factors.reduce((s, f) => s + f.weight, 0);
  const levelTable: Record<string, { action: string; template?: string; alert: boolean }> = {};
  const alertRank =
    model.alertAt === undefined
      ? Infinity
      : model.levels.findIndex((l) => l.name === model.alertAt);
  model.levels.forEach((l, rank) => {
    levelTable[l.name] = {
      action: l.action,
      ...(l.template ? { template: l.template } : {}),
      alert: rank >= alertRank,
    };
  });
  const b: string[] = [];
  // one wrapper per factor (direct calls the engine can inline, rather than one generic runner)
  model.factors.forEach((f, i) => {
    const args = `${lit(f.id)}, `;
    const tail = `, ${lit(f.weight)}, ${lit(f.max)}`;
    b.push(
      `function $rk_eval_${i}(ctx) {\n  let raw;\n  try {\n    raw = $rk_factor_${i}(ctx);\n  } catch (e) {\n    return $rk_result(${args}${lit(f.onError)}${tail}, $rk_message(e));\n  }\n  return $rk_result(${args}raw${tail}, undefined);\n}`,
    );
  });
  b.push(`const $rk_LEVELS = ${lit(levelTable)};`);
  b.push(viewCode(roots));
  b.push("function $risk(input) {");
  b.push("  const ctx = $rk_view(input);");
  b.push(`  const factors = [${model.factors.map((_, i) => `$rk_eval_${i}(ctx)`).join(", ")}];`);
  b.push("  let score;");
  b.push("  let error;");
  b.push("  let sum = 0;");
  b.push(`  for (let i = 0; i < factors.length; i++) {`);
  b.push(
    `    const share = (factors[i].normalized * factors[i].weight * 100) / ${lit(totalWeight)};`,
  );
  b.push("    sum += share;");
  b.push("    factors[i].contribution = $rk_round(share);");
  b.push("  }");
  if (model.combination.kind === "weighted") {
    b.push("  score = sum;");
  } else if (model.combination.kind === "max") {
    // the highest normalised factor alone gives the score; it carries the whole contribution
    b.push("  let top = 0;");
    b.push(
      "  for (let i = 1; i < factors.length; i++) if (factors[i].normalized > factors[top].normalized) top = i;",
    );
    b.push("  score = factors[top].normalized * 100;");
    b.push(
      "  for (let i = 0; i < factors.length; i++) factors[i].contribution = i === top ? $rk_round(score) : 0;",
    );
  } else {
    b.push("  const raw = {};");
    b.push("  const normalized = {};");
    b.push("  for (let i = 0; i < factors.length; i++) {");
    b.push("    raw[factors[i].id] = factors[i].raw;");
    b.push("    normalized[factors[i].id] = factors[i].normalized;");
    b.push("  }");
    b.push("  try {");
    b.push("    score = $rk_number($rk_combine({ factors: raw, normalized: normalized }));");
    b.push("  } catch (e) {");
    b.push("    score = 100;");
    b.push('    error = "risk combination failed: " + $rk_message(e);');
    b.push("  }");
  }
  b.push("  score = $rk_round(score < 0 ? 0 : score > 100 ? 100 : score);");
  const cond = model.levels
    .slice(0, -1)
    .map((l) => `score <= ${lit(l.max)} ? ${lit(l.name)} : `)
    .join("");
  b.push(`  const level = ${cond}${lit(model.levels[model.levels.length - 1]!.name)};`);
  b.push("  const l = $rk_LEVELS[level];");
  b.push(
    "  const r = { score: score, level: level, factors: factors, action: l.action, alert: l.alert };",
  );
  b.push("  if (l.template !== undefined) r.template = l.template;");
  b.push("  if (error !== undefined) r.error = error;");
  b.push("  return r;");
  b.push("}");
  return b.join("\n");
}
