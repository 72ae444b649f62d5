/**
 * Diagnostics: construction from the catalogue, ordering, capping and printing. One shape
 * everywhere (grammar's `Diagnostic`), printed by grammar's `formatDiagnostic`.
 */
import { type Diagnostic, formatDiagnostic, type Span } from "../../grammar/index.js";
import type { Message } from "./catalogue.js";

/** At most this many errors are reported by one compilation (OPA caps its compiler errors too). */
export const MAX_ERRORS = 50;

export function error(m: Message, span: Span): Diagnostic {
  return withHelp({ code: m.code, severity: "error", message: m.message, span }, m.help);
}

export function warning(m: Message, span: Span): Diagnostic {
  return withHelp({ code: m.code, severity: "warning", message: m.message, span }, m.help);
}

function withHelp(d: Diagnostic, help: string | undefined): Diagnostic {
  return help === undefined ? d : { ...d, help };
}

/** Orders diagnostics by file, line, column, then code (stable and deterministic). */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      cmp(a.span.file, b.span.file) ||
      a.span.line - b.span.line ||
      a.span.col - b.span.col ||
      cmp(a.code, b.code) ||
      cmp(a.message, b.message),
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const hasErrors = (ds: readonly Diagnostic[]): boolean =>
  ds.some((d) => d.severity === "error");

/** Prints diagnostics with code frames; `sources` maps a diagnostic's `span.file` to its text. */
export function formatDiagnostics(
  ds: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
): string {
  return ds.map((d) => formatDiagnostic(d, sources.get(d.span.file) ?? "")).join("\n");
}

/** A span for diagnostics that concern a whole file or no file at all. */
export function fileSpan(file: string): Span {
  return { file, line: 1, col: 1, endLine: 1, endCol: 1 };
}
