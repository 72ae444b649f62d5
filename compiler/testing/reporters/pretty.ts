/**
 * Human-readable report: one line per suite, details of each failing case (its `file:line`, then
 * expected vs actual per failed assertion), a coverage table, and a summary line.
 */
import type { CoverageReport, Ratio } from "../coverage.js";
import type { TestReport } from "../report.js";
import type { CaseResult } from "../run.js";
import { type Palette, palette } from "./colors.js";

export interface PrettyOptions {
  color: boolean;
  /** List passing cases too (default: only failing ones). */
  verbose?: boolean;
}

export function formatPretty(report: TestReport, options: PrettyOptions): string {
  const p = palette(options.color);
  const out: string[] = [];
  for (const d of report.formattedDiagnostics) out.push(colorDiagnostic(d, p), "");
  for (const suite of report.suites) {
    const bad = suite.cases.filter((c) => c.status === "failed" || c.status === "error");
    const tag = bad.length > 0 ? p.red(p.bold("FAIL")) : p.green(p.bold("PASS"));
    out.push(
      `${tag} ${suite.file} ${p.dim("›")} ${suite.name} ${p.dim(`(${suite.cases.length} cases, ${ms(suite.durationMs)})`)}`,
    );
    for (const c of suite.cases) {
      if (c.status === "passed" && options.verbose) out.push(`  ${p.green("✓")} ${c.name}`);
      else if (c.status === "skipped")
        out.push(`  ${p.yellow("○")} ${c.name} ${p.dim("(skipped)")}`);
      else if (c.status === "failed" || c.status === "error") out.push(...formatFailure(c, p));
    }
  }
  if (report.coverage) out.push("", ...formatCoverage(report.coverage, p));
  if (report.threshold && !report.threshold.met)
    out.push(
      "",
      p.red(
        `rule coverage ${report.threshold.actual}% is below the threshold of ${report.threshold.required}%`,
      ),
    );
  out.push("", summary(report, p));
  return `${out.join("\n")}\n`;
}

function formatFailure(c: CaseResult, p: Palette): string[] {
  const lines = [
    `  ${p.red("✗")} ${c.name}`,
    `      ${p.dim(`at ${c.span.file}:${c.span.line}:${c.span.col}`)}`,
  ];
  if (c.status === "error") lines.push(`      ${p.red(`decide threw: ${c.error}`)}`);
  for (const m of c.mismatches) {
    lines.push(`      ${p.bold(m.field)}: ${m.message}`);
    lines.push(`        ${p.green("expected:")} ${show(m.expected)}`);
    lines.push(`        ${p.red("actual:  ")} ${show(m.actual)}`);
  }
  return lines;
}

function formatCoverage(cov: CoverageReport, p: Palette): string[] {
  const rows = cov.files.map((f) => [f.file, fraction(f.rules), fraction(f.branches)]);
  rows.push(["total", fraction(cov.rules), fraction(cov.branches)]);
  const header = ["file", "rules", "branches"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const out = [p.bold("Coverage"), `  ${p.dim(line(header))}`];
  for (const [i, r] of rows.entries()) {
    out.push(`  ${i === rows.length - 1 ? p.bold(line(r)) : line(r)}`);
    const f = cov.files[i];
    if (!f) continue;
    for (const u of f.uncoveredRules)
      out.push(`    ${p.yellow("never matched:")} \`${u.id}\` (${u.type}, ${f.file}:${u.line})`);
    for (const b of f.uncoveredBranches)
      out.push(
        `    ${p.yellow("branch not exercised:")} \`${b.rule}\` ${b.description} (${f.file}:${b.line})`,
      );
  }
  return out;
}

function summary(report: TestReport, p: Palette): string {
  const t = report.totals;
  const parts: string[] = [];
  if (t.failed > 0) parts.push(p.red(`${t.failed} failed`));
  if (t.errors > 0) parts.push(p.red(`${t.errors} errored`));
  if (t.passed > 0) parts.push(p.green(`${t.passed} passed`));
  if (t.skipped > 0) parts.push(p.yellow(`${t.skipped} skipped`));
  const errs = report.diagnostics.filter((d) => d.severity === "error").length;
  if (errs > 0) parts.push(p.red(`${errs} error${errs === 1 ? "" : "s"} in policies or suites`));
  return `Tests: ${parts.join(", ") || "none"}, ${t.cases} total (${report.suites.length} suite${report.suites.length === 1 ? "" : "s"}) in ${ms(report.durationMs)}`;
}

function colorDiagnostic(text: string, p: Palette): string {
  const [first, ...rest] = text.split("\n");
  const head = (first ?? "").replace(
    /: (error|warning)(\[[^\]]*\])?:/,
    (_m, sev: string, code = "") =>
      `: ${sev === "error" ? p.red(p.bold(sev + code)) : p.yellow(p.bold(sev + code))}:`,
  );
  return [head, ...rest].join("\n");
}

function fraction(r: Ratio): string {
  return `${r.covered}/${r.total} ${r.percent}%`;
}

function ms(n: number): string {
  return `${Math.round(n)}ms`;
}

function show(v: unknown): string {
  if (v === undefined) return "(none)";
  const s = JSON.stringify(v);
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}
