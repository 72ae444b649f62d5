/**
 * Coverage accounting: which rules matched at least once (per file and overall) and which
 * condition branches were exercised. Rule coverage needs nothing but `decision.matched`; branch
 * coverage comes from a `BranchAnalyzer` (see branch-coverage.ts).
 */
import type { Execution } from "./run.js";
import type { RuleInfo } from "./test-bundle.js";

export interface Ratio {
  total: number;
  covered: number;
  /** 100 when `total` is 0. Rounded to 2 decimals. */
  percent: number;
}

export interface UncoveredRule {
  id: string;
  type: string;
  line: number;
}

/** One branch site of a rule's condition that no case exercised. */
export interface UncoveredBranch {
  rule: string;
  line: number;
  /** e.g. "`resource.env == \"production\"` never false". */
  description: string;
}

export interface FileCoverage {
  file: string;
  rules: Ratio;
  branches: Ratio;
  uncoveredRules: UncoveredRule[];
  uncoveredBranches: UncoveredBranch[];
}

export interface CoverageReport {
  rules: Ratio;
  branches: Ratio;
  files: FileCoverage[];
}

/** The branches of one rule: how many sites, which are missed. */
export interface RuleBranches {
  total: number;
  uncovered: UncoveredBranch[];
}

/** Computes the branch coverage of one rule over the executions in which it applied. */
export type BranchAnalyzer = (id: string, rule: RuleInfo, executions: Execution[]) => RuleBranches;

export function ratio(covered: number, total: number): Ratio {
  const percent = total === 0 ? 100 : Math.floor((covered / total) * 10000) / 100;
  return { total, covered, percent };
}

/** Builds the coverage report of a run. Files and rules are listed in a stable order. */
export function computeCoverage(
  rules: Record<string, RuleInfo>,
  executions: Execution[],
  analyzeBranches?: BranchAnalyzer,
): CoverageReport {
  const matched = new Set<string>();
  for (const e of executions) for (const m of e.decision.matched ?? []) matched.add(m.id);
  const byFile = new Map<string, { ids: string[] }>();
  for (const [id, rule] of Object.entries(rules)) {
    const entry = byFile.get(rule.file) ?? { ids: [] };
    entry.ids.push(id);
    byFile.set(rule.file, entry);
  }
  const files: FileCoverage[] = [];
  let rulesTotal = 0;
  let rulesCovered = 0;
  let branchesTotal = 0;
  let branchesCovered = 0;
  for (const file of [...byFile.keys()].sort()) {
    const ids = byFile
      .get(file)!
      .ids.sort((a, b) => rules[a]!.line - rules[b]!.line || a.localeCompare(b));
    const uncoveredRules: UncoveredRule[] = [];
    const uncoveredBranches: UncoveredBranch[] = [];
    let fileBranches = 0;
    for (const id of ids) {
      const rule = rules[id]!;
      if (!matched.has(id)) uncoveredRules.push({ id, type: rule.type, line: rule.line });
      if (analyzeBranches) {
        const b = analyzeBranches(id, rule, executions);
        fileBranches += b.total;
        uncoveredBranches.push(...b.uncovered);
      }
    }
    const fileRules = ratio(ids.length - uncoveredRules.length, ids.length);
    const fileBranchRatio = ratio(fileBranches - uncoveredBranches.length, fileBranches);
    rulesTotal += fileRules.total;
    rulesCovered += fileRules.covered;
    branchesTotal += fileBranchRatio.total;
    branchesCovered += fileBranchRatio.covered;
    files.push({
      file,
      rules: fileRules,
      branches: fileBranchRatio,
      uncoveredRules,
      uncoveredBranches,
    });
  }
  return {
    rules: ratio(rulesCovered, rulesTotal),
    branches: ratio(branchesCovered, branchesTotal),
    files,
  };
}
