/**
 * Branch coverage of rule conditions, computed from the bundle's `rules` export (each rule's
 * `when` source and constants) with the grammar's interpreter — no instrumented bundle needed.
 *
 * Branches of a condition (each must be seen at least once over the executions in which the
 * rule was a candidate for the action):
 *   - the whole condition: true, false;
 *   - `a && b`: `a` false (short-circuit), `a` true (`b` evaluated);
 *   - `a || b`: `a` true (short-circuit), `a` false (`b` evaluated);
 *   - `c ? x : y`: `c` true, `c` false.
 * Sites are found through `&&`, `||`, `!` and `?:` only (not inside calls or macros, whose
 * variables are not bound outside them). An operand that errors records no outcome.
 */
import {
  type Expr,
  interpretExpression,
  parseExpression,
  printExpression,
} from "../../grammar/index.js";
import type { BranchAnalyzer, RuleBranches, UncoveredBranch } from "./coverage.js";
import type { Execution } from "./run.js";
import type { RuleInfo } from "./test-bundle.js";

/** How the analyser sees a bundle: which rules run for an action, and the condition context. */
export interface BranchContext {
  candidates?: (actionName: string) => string[];
  context?: (input: Execution["input"]) => Record<string, unknown>;
}

interface Site {
  node: Expr;
  /** Labels of the two outcomes: [when the tested operand is true, when it is false]. */
  labels: [string, string];
  /** The operand whose truth value decides the branch. */
  operand: Expr;
}

export function branchAnalyzer(bundle: BranchContext): BranchAnalyzer {
  return (id, rule, executions) => analyzeRule(id, rule, executions, bundle);
}

function analyzeRule(
  id: string,
  rule: RuleInfo,
  executions: Execution[],
  bundle: BranchContext,
): RuleBranches {
  const source = typeof rule.when === "string" ? rule.when.trim() : "";
  if (source === "") return { total: 0, uncovered: [] };
  const { ast } = parseExpression(source);
  if (!ast) return { total: 0, uncovered: [] };
  const sites: Site[] = [{ node: ast, operand: ast, labels: ["true", "false"] }];
  collectSites(ast, sites);
  const seen = sites.map(() => [false, false]);
  const constants = (rule.constants as Record<string, unknown> | undefined) ?? {};
  for (const e of executions) {
    const name = e.input.action?.name;
    if (bundle.candidates && !bundle.candidates(name).includes(id)) continue;
    const ctx = bundle.context
      ? safeContext(bundle.context, e)
      : { ...e.input, risk: riskForConditions(e) };
    if (!ctx) continue;
    walk(ast, true);
    function walk(node: Expr, reached: boolean): void {
      if (!reached) return;
      const index = sites.findIndex((s, i) => i > 0 && s.node === node);
      if (node === ast) record(0, node);
      if (node.kind === "binary" && (node.op === "&&" || node.op === "||")) {
        const left = record(index, node.left);
        walk(node.left, true);
        // CEL evaluates the right operand unless the left one short-circuits.
        walk(node.right, node.op === "&&" ? left !== false : left !== true);
      } else if (node.kind === "conditional") {
        const test = record(index, node.test);
        walk(node.test, true);
        walk(node.consequent, test === true);
        walk(node.alternate, test === false);
      } else if (node.kind === "unary" && node.op === "!") walk(node.operand, true);
    }
    function record(index: number, operand: Expr): boolean | undefined {
      let value: unknown;
      try {
        value = interpretExpression(operand, ctx, constants);
      } catch {
        return undefined;
      }
      if (typeof value !== "boolean") return undefined;
      if (index >= 0) seen[index]![value ? 0 : 1] = true;
      return value;
    }
  }
  const uncovered: UncoveredBranch[] = [];
  sites.forEach((s, i) => {
    for (const k of [0, 1] as const)
      if (!seen[i]![k])
        uncovered.push({
          rule: id,
          line: rule.line,
          description: `\`${printExpression(s.operand)}\` never ${s.labels[k]}`,
        });
  });
  return { total: sites.length * 2, uncovered };
}

function collectSites(node: Expr, out: Site[]): void {
  if (node.kind === "binary" && (node.op === "&&" || node.op === "||")) {
    out.push({ node, operand: node.left, labels: ["true", "false"] });
    collectSites(node.left, out);
    collectSites(node.right, out);
  } else if (node.kind === "conditional") {
    out.push({ node, operand: node.test, labels: ["true", "false"] });
    collectSites(node.test, out);
    collectSites(node.consequent, out);
    collectSites(node.alternate, out);
  } else if (node.kind === "unary" && node.op === "!") collectSites(node.operand, out);
}

function safeContext(
  context: NonNullable<BranchContext["context"]>,
  e: Execution,
): Record<string, unknown> | undefined {
  try {
    return context(structuredClone(e.input));
  } catch {
    return undefined;
  }
}

/** `risk` as conditions see it: score, level and factors by id (raw values). */
function riskForConditions(e: Execution): Record<string, unknown> {
  const r = e.decision.risk;
  const factors: Record<string, unknown> = {};
  for (const f of r?.factors ?? []) factors[f.id] = f.raw;
  return { score: r?.score ?? 0, level: r?.level ?? "low", factors };
}
