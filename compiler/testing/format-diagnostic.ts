/**
 * `file:line:col: error[code]: message` plus a code frame of the spanned lines and a help line —
 * the same layout as the grammar's `formatDiagnostic`, for the suite loader's diagnostics.
 */
import type { Diagnostic } from "./suite.js";

export function formatSuiteDiagnostic(d: Diagnostic, sourceText: string): string {
  const { span } = d;
  const out = [`${span.file}:${span.line}:${span.col}: ${d.severity}[${d.code}]: ${d.message}`];
  const lines = sourceText.split(/\r\n|\r|\n/);
  const last = Math.min(span.endLine, span.line + 2);
  const width = String(last).length;
  const pad = " ".repeat(width);
  if (span.line >= 1 && span.line <= lines.length) {
    out.push(`${pad} |`);
    for (let ln = span.line; ln <= last && ln <= lines.length; ln++) {
      const text = (lines[ln - 1] ?? "").replace(/\t/g, " ");
      out.push(`${String(ln).padStart(width)} | ${text}`);
      const from = ln === span.line ? span.col : 1;
      const to = ln === span.endLine ? span.endCol - 1 : text.length;
      out.push(
        `${pad} | ${" ".repeat(Math.max(0, from - 1))}${"^".repeat(Math.max(1, to - from + 1))}`,
      );
    }
  }
  if (d.help !== undefined) out.push(`${pad} = help: ${d.help}`);
  return out.join("\n");
}
