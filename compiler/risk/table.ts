/** The risk breakdown of a decision as a plain-text table (for `paracle governance risk`). */

export interface RiskBreakdown {
  score: number;
  level: string;
  factors: {
    id: string;
    raw: number;
    normalized: number;
    weight: number;
    contribution: number;
    error?: string;
  }[];
}

const fmt = (n: number, digits: number): string =>
  Number.isFinite(n) ? String(Math.round(n * 10 ** digits) / 10 ** digits) : String(n);

/**
 * Renders one row per factor (raw value, normalised value, weight, contribution), then the score
 * and level, and the decision when given.
 *
 * @example
 * formatRiskTable({ score: 62.5, level: "high", factors: [...] }, "require_approval")
 */
export function formatRiskTable(risk: RiskBreakdown, decision?: string): string {
  const header = ["factor", "raw", "normalized", "weight", "contribution"];
  const rows = risk.factors.map((f) => [
    f.error === undefined ? f.id : `${f.id} (!)`,
    fmt(f.raw, 4),
    fmt(f.normalized, 4),
    fmt(f.weight, 4),
    fmt(f.contribution, 2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
  out.push("", `score  ${fmt(risk.score, 2)}`, `level  ${risk.level}`);
  if (decision !== undefined) out.push(`decision  ${decision}`);
  const errors = risk.factors.filter((f) => f.error !== undefined);
  if (errors.length > 0) {
    out.push("", "(!) factor failed and took its on_error value:");
    for (const f of errors) out.push(`  ${f.id}: ${f.error}`);
  }
  return `${out.join("\n")}\n`;
}
