import type { MessageCode } from "./messages.js";
import { message } from "./messages.js";
import type { Diagnostic, Span } from "./span.js";
import { compareSpans } from "./span.js";

/** Builds an error diagnostic from the catalogue. */
export function error<C extends MessageCode>(
  span: Span,
  code: C,
  args: Parameters<typeof message<C>> extends [C, ...infer A] ? A : never,
  help?: string,
): Diagnostic {
  const d: Diagnostic = {
    code,
    severity: code.startsWith("W") ? "warning" : "error",
    message: (message as (c: C, ...a: unknown[]) => string)(code, ...args),
    span,
  };
  if (help !== undefined) d.help = help;
  return d;
}

/** Sorts diagnostics by location, then code (stable, deterministic output). */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) => compareSpans(a.span, b.span) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** True when at least one diagnostic is an error (warnings do not block). */
export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === "error");
}

/**
 * Formats a diagnostic like tsc/rustc: `file:line:col: error[code]: message`, then a code frame of
 * the spanned line(s) from `sourceText` (the text the span's line numbers refer to) with carets,
 * then a `help: ...` line when there is one.
 */
export function formatDiagnostic(d: Diagnostic, sourceText: string): string {
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
      const to = ln === span.endLine ? span.endCol : Math.max(text.length, from);
      const carets = Math.max(1, to - from + 1);
      out.push(`${pad} | ${" ".repeat(Math.max(0, from - 1))}${"^".repeat(carets)}`);
    }
  }
  if (d.help !== undefined) out.push(`${pad} = help: ${d.help}`);
  return out.join("\n");
}
