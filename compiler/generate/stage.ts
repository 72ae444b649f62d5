/**
 * Stage `generate`: the typed program → `bundle.mjs` and `bundle.d.ts`, built with ts-morph.
 *
 * Invariants: the output is a pure function of the program (no timestamps, no absolute paths,
 * everything sorted or in evaluation order); `bundle.mjs` has no imports; every string from a
 * policy file is emitted through emit.ts (`literal`, `jsonData`, `commentText`).
 */

import {
  IndentationText,
  NewLineKind,
  Project,
  QuoteKind,
  type StatementStructures,
  StructureKind,
} from "ts-morph";
import { compileExpression, type Diagnostic, PRELUDE } from "../../grammar/index.js";
import { durationMs } from "../duration.js";
import { globMatches, isGlob } from "../glob.js";
import type { ApprovalSettings } from "../model.js";
import type { TypedProgram, TypedRule } from "../typecheck/stage.js";
import { resolveApproval, riskApproval, templateTable } from "./approval.js";
import { generateDts } from "./dts.js";
import { commentText, jsonData, slug, sortValue } from "./emit.js";
import { riskCode } from "./risk-integration.js";
import { RUNTIME_PRELUDE } from "./runtime-prelude.js";

/** Version of the bundle format (manifest `version`, bundle `metadata.version`). */
export const BUNDLE_FORMAT_VERSION = "1";

export interface GeneratedBundle {
  bundleMjs: string;
  bundleDts: string;
  /** Rule ids in evaluation order. */
  ruleIds: string[];
  /** Sorted action names and globs known to the bundle. */
  actions: string[];
}

export interface GenerateResult {
  bundle?: GeneratedBundle;
  diagnostics: Diagnostic[];
}

const DEFAULT_REASON: Record<
  string,
  (id: string, s: Record<string, unknown>) => string | undefined
> = {
  allow: (id) => `allowed by policy \`${id}\``,
  deny: (id) => `denied by policy \`${id}\``,
  require_approval: (id) => `approval required by policy \`${id}\``,
  time_window: (id) => `outside the time window of policy \`${id}\``,
  require_justification: (id) => `policy \`${id}\` requires a justification`,
  max_risk: (id, s) => `risk score above ${String(s.score)} (policy \`${id}\`)`,
};

/** Evaluation order: priority descending, then inheritance/declaration order (stable). */
export function evaluationOrder(typed: readonly TypedRule[]): TypedRule[] {
  return typed
    .map((t, i) => ({ t, i }))
    .sort((a, b) => b.t.rule.priority - a.t.rule.priority || a.i - b.i)
    .map((x) => x.t);
}

function ruleData(t: TypedRule, program: TypedProgram): Record<string, unknown> {
  const r = t.rule;
  const s = (r.settings[r.type === "require_approval" ? "approval" : r.type] ?? {}) as Record<
    string,
    unknown
  >;
  const d: Record<string, unknown> = {
    id: r.id,
    type: r.type,
    file: r.file,
    line: r.span.line,
    phase: r.match.phase,
  };
  const reason = r.reason ?? DEFAULT_REASON[r.type]?.(r.id, s);
  if (reason !== undefined) d.reason = reason;
  for (const dim of ["actions", "agents", "roles", "workflows"] as const) {
    const list = r.match[dim];
    if (list !== undefined) d[dim] = [...list];
  }
  const approvalSettings = r.settings.approval as ApprovalSettings | undefined;
  switch (r.type) {
    case "require_approval":
      d.approval = resolveApproval(approvalSettings, program.templates);
      break;
    case "audit":
      d.ob = { type: "audit", policy: r.id, tags: s.tags ?? [], keep_args: s.keep_args ?? true };
      break;
    case "redact":
      d.ob = {
        type: "redact",
        policy: r.id,
        paths: s.paths ?? [],
        detectors: s.detectors ?? [],
        in: s.in ?? ["args", "result"],
      };
      break;
    case "alert":
      d.ob = {
        type: "alert",
        policy: r.id,
        severity: s.severity ?? "medium",
        channels: s.channels ?? [],
        message: s.message ?? r.reason ?? `policy \`${r.id}\` matched`,
      };
      break;
    case "rate_limit":
      d.ob = {
        type: "rate_limit",
        policy: r.id,
        limit: s.limit,
        window_ms: durationMs(s.window as string),
        per: s.per ?? ["agent"],
      };
      break;
    case "quota":
      d.ob = {
        type: "quota",
        policy: r.id,
        limit: s.limit,
        window_ms: durationMs(s.window as string),
        per: s.per ?? ["agent"],
      };
      break;
    case "time_window": {
      const hours = s.hours as string | undefined;
      const tw: Record<string, unknown> = {
        timezone: s.timezone ?? "UTC",
        outside: s.outside ?? "deny",
      };
      if (s.days !== undefined) tw.days = s.days;
      if (hours !== undefined) {
        const [from, to] = hours
          .split("-")
          .map((hm) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5)));
        tw.from_min = from;
        tw.to_min = to;
      }
      d.s = tw;
      break;
    }
    case "require_justification":
      d.s = { min_length: s.min_length ?? 1, effect: s.effect ?? "deny" };
      break;
    case "max_risk":
      d.s = { score: s.score, effect: s.effect ?? "deny" };
      break;
    case "dry_run":
      d.s = { effect: s.effect };
      break;
  }
  if (
    d.approval === undefined &&
    ["time_window", "require_justification", "max_risk"].includes(r.type)
  ) {
    d.approval = resolveApproval(approvalSettings, program.templates);
  }
  return d;
}

export function generate(program: TypedProgram, compilerVersion: string): GenerateResult {
  const diagnostics: Diagnostic[] = [];
  const ordered = evaluationOrder(program.typed);
  const risk = riskCode(program.riskModels[0], program.schema, program.templates);
  diagnostics.push(...risk.diagnostics);

  const hoisted: string[] = [...risk.hoisted];
  const ruleFns: StatementStructures[] = [];
  const fnNames: string[] = [];
  const amountNames: string[] = [];
  // Whether a rule's condition or quota amount reads the root `risk`: root names compile to
  // `$pg_get(ctx, "<name>")` (grammar/codegen), so the text tells; a false positive only costs
  // the context copy. Without it, conditions read the decision input directly.
  let usesRisk = false;
  const readsRisk = (code: string) => code.includes('$pg_get(ctx, "risk")');
  ordered.forEach((t, i) => {
    const r = t.rule;
    const name = `$policy_${i}_${slug(r.id)}`;
    fnNames.push(name);
    let body = "return true;";
    if (t.when) {
      const c = compileExpression(t.when, {
        constants: r.constants,
        prefix: `p${i}`,
        schema: program.schema,
      });
      hoisted.push(...c.hoisted);
      if (readsRisk(c.expression) || c.hoisted.some(readsRisk)) usesRisk = true;
      body = `return (${c.expression});`;
    }
    ruleFns.push({
      kind: StructureKind.Function,
      name,
      parameters: [{ name: "ctx" }],
      statements: [body],
      leadingTrivia: `// policy ${commentText(r.id)} (${commentText(r.file)}:${r.span.line})\n`,
    });
    if (t.amount) {
      const c = compileExpression(t.amount, {
        constants: r.constants,
        prefix: `q${i}`,
        schema: program.schema,
      });
      hoisted.push(...c.hoisted);
      if (readsRisk(c.expression) || c.hoisted.some(readsRisk)) usesRisk = true;
      const aname = `$amount_${i}_${slug(r.id)}`;
      amountNames.push(aname);
      ruleFns.push({
        kind: StructureKind.Function,
        name: aname,
        parameters: [{ name: "ctx" }],
        statements: [`return ${c.expression};`],
        leadingTrivia: `// quota amount of policy ${commentText(r.id)} (${commentText(r.file)}:${r.span.line})\n`,
      });
    } else amountNames.push("undefined");
  });

  const data = ordered.map((t) => ruleData(t, program));
  const { exact, dynamic, actions } = actionIndex(ordered, program);
  const ids = ordered.map((t) => t.rule.id);
  const rulesExport: Record<string, unknown> = {};
  for (const t of [...ordered].sort((a, b) =>
    a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0,
  )) {
    const r = t.rule;
    const used: Record<string, unknown> = {};
    for (const c of t.usedConstants) used[c] = r.constants[c];
    const info: Record<string, unknown> = {
      type: r.type,
      file: r.file,
      line: r.span.line,
      constants: used,
    };
    if (r.reason !== undefined) info.reason = r.reason;
    if (r.when !== undefined) info.when = r.when.text;
    if (r.amount !== undefined) info.amount = r.amount.text;
    if (r.iso_controls.length > 0) info.iso_controls = r.iso_controls;
    Object.defineProperty(rulesExport, r.id, {
      value: info,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const rootConstants: Record<string, unknown> = Object.create(null);
  for (const root of [...program.roots].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    Object.assign(rootConstants, program.setConstants.get(root.name) ?? {});
  }
  const metadata = {
    version: BUNDLE_FORMAT_VERSION,
    compiler: compilerVersion,
    policies: [...ids].sort(),
    sets: [...program.sets]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((s) =>
        s.version === undefined ? { name: s.name } : { name: s.name, version: s.version },
      ),
    defaults: { decision: program.defaults.decision, reason: program.defaults.reason },
    risk_model: program.riskModels[0]?.name ?? null,
    schema_extension: program.schemaExtension,
  };
  const defaults: Record<string, unknown> = {
    decision: program.defaults.decision,
    reason: program.defaults.reason,
  };
  if (program.defaults.decision === "require_approval") {
    defaults.approval = resolveApproval(program.defaults.approval, program.templates);
  }

  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Double,
    },
  });
  // Constant text (preludes, risk model, data tables) is concatenated around the part ts-morph
  // builds (the rule functions): ts-morph re-parses what it prints, and parsing ~0.5 MB of
  // constant text per compilation would cost most of the 1,000-policy compile budget.
  const head = [
    `// Generated by paracle-compile ${commentText(compilerVersion)}. Do not edit.\n// Bundle format ${BUNDLE_FORMAT_VERSION}; rules: ${ordered.length}; source of each rule in the comment above it.`,
    `// ---- condition language runtime (grammar PRELUDE) ----\n${PRELUDE.trimEnd()}`,
    RUNTIME_PRELUDE.trimEnd(),
    "// ---- risk model ----",
    ...dedupe(hoisted),
    risk.code,
    "// ---- rules, in evaluation order (priority desc, then declaration order) ----",
  ];
  const tail = [
    "// ---- tables ----",
    `const $pc_USES_RISK = ${usesRisk};`,
    `const $pc_RULES = $pc_link(${jsonData(sortValue(data))}, [${fnNames.join(", ")}], [${amountNames.join(", ")}]);`,
    `const $pc_EXACT = $pc_exactIndex(${jsonData(exact)});`,
    `const $pc_DYNAMIC = ${jsonData(dynamic)}.map((i) => $pc_RULES[i]);`,
    `const $pc_DEFAULTS = $pc_deepFreeze(${jsonData(sortValue(defaults))});`,
    `const $pc_RISK_APPROVAL = $pc_deepFreeze(${jsonData(sortValue(riskApproval(program.templates)))});`,
    `const $pc_TEMPLATES = $pc_deepFreeze(${jsonData(sortValue(templateTable(program.templates)))});`,
    "// ---- exports ----",
    "/** Decides one input (see docs/policy-format.md, Semantics). */\nexport function decide(input) {\n  return $pc_decide(input);\n}",
    `/** Rules by id: type, source, reason, condition source and the constants it uses. */\nexport const rules = $pc_deepFreeze(${jsonData(sortValue(rulesExport))});`,
    `export const metadata = $pc_deepFreeze(${jsonData(sortValue(metadata))});`,
    "export const approvalTemplates = $pc_TEMPLATES;",
    `export const actions = $pc_deepFreeze(${jsonData(actions)});`,
    `export const constants = $pc_deepFreeze(${jsonData(sortValue(rootConstants))});`,
    "/** Ids of the rules that run for an action name, in evaluation order. */\nexport function candidates(actionName) {\n  return $pc_candidates(String(actionName)).map((r) => r.id);\n}",
    "/** The object conditions see for `input` (time defaulted, risk computed), for explanations. */\nexport function context(input) {\n  const base = input.time === undefined ? { ...input, time: new Date().toISOString() } : input;\n  return $pc_context(base, $pc_riskOf(base));\n}",
  ];
  const file = project.createSourceFile("rules.ts", { statements: ruleFns }, { overwrite: true });
  const bundleMjs = `${head.join("\n")}\n${file.getFullText().trimEnd()}\n${tail.join("\n")}\n`;
  const bundleDts = generateDts(project, program.schema);
  return { bundle: { bundleMjs, bundleDts, ruleIds: ids, actions }, diagnostics };
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

/**
 * The action index: for every exact name (from rules and catalogues) the rules that run for it,
 * in evaluation order; rules with a glob or `*` (or no `actions`) also go to the dynamic list used
 * for names not in the table.
 */
function actionIndex(ordered: TypedRule[], program: TypedProgram) {
  const all = new Set<string>();
  const exactRules = new Map<string, number[]>();
  const dynamic: number[] = [];
  ordered.forEach((t, i) => {
    let glob = false;
    for (const p of t.rule.match.actions ?? ["*"]) {
      all.add(p);
      if (isGlob(p)) glob = true;
      else {
        const list = exactRules.get(p) ?? [];
        if (list[list.length - 1] !== i) list.push(i);
        exactRules.set(p, list);
      }
    }
    if (glob) dynamic.push(i);
  });
  for (const s of program.sets) {
    for (const a of s.actions) {
      all.add(a.name);
      if (!isGlob(a.name) && !exactRules.has(a.name)) exactRules.set(a.name, []);
    }
  }
  const patternsOf = (i: number) => ordered[i]!.rule.match.actions ?? ["*"];
  const exact = [...exactRules.keys()].sort().map((name) => {
    const ids = new Set(exactRules.get(name));
    for (const i of dynamic) if (patternsOf(i).some((p) => globMatches(p, name))) ids.add(i);
    return [name, [...ids].sort((a, b) => a - b)];
  });
  return { exact, dynamic, actions: [...all].sort() };
}
