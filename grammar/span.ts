/** A source range, 1-based lines and columns (columns count UTF-16 code units); end is inclusive. */
export interface Span {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** Where an expression's text starts inside its file (1-based); defaults to `<expression>:1:1`. */
export interface Origin {
  file?: string;
  line?: number;
  col?: number;
}

/** One problem found in a condition, in the project's single diagnostic shape. */
export interface Diagnostic {
  code: string;
  severity: "error" | "warning";
  message: string;
  span: Span;
  help?: string;
}

/** The default file name used when no origin is given. */
export const DEFAULT_FILE = "<expression>";

/**
 * Maps a position inside the expression text (1-based line/col) to the file: only the first line
 * of the expression is shifted by the origin column, later lines start at column 1 of the file.
 */
export function locate(origin: Origin | undefined, line: number, col: number): [number, number] {
  const baseLine = origin?.line ?? 1;
  const baseCol = origin?.col ?? 1;
  return [baseLine + line - 1, line === 1 ? baseCol + col - 1 : col];
}

/** Builds a span from expression-relative start/end positions (end inclusive). */
export function makeSpan(
  origin: Origin | undefined,
  startLine: number,
  startCol: number,
  endLine: number,
  endCol: number,
): Span {
  const [line, col] = locate(origin, startLine, startCol);
  const [eLine, eCol] = locate(origin, endLine, endCol);
  return { file: origin?.file ?? DEFAULT_FILE, line, col, endLine: eLine, endCol: eCol };
}

/** The smallest span covering both `a` and `b` (assumes `a` starts first). */
export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, line: a.line, col: a.col, endLine: b.endLine, endCol: b.endCol };
}

/** Orders spans by position (file, line, column). */
export function compareSpans(a: Span, b: Span): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.col - b.col;
}
