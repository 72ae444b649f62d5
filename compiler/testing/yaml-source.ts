/**
 * YAML documents with source positions: thin helpers over the `yaml` package's AST so the suite
 * loader can report `file:line:col` for every node it rejects.
 */
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
} from "yaml";
import { testMessages } from "./messages.js";
import type { Diagnostic, Span } from "./suite.js";

/** A parsed YAML file: its documents and a way to turn offsets into 1-based spans. */
export class YamlSource {
  readonly documents: Document.Parsed[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    const parsed = parseAllDocuments(text, { lineCounter: this.lines, prettyErrors: false });
    const docs = Array.isArray(parsed) ? parsed : [];
    for (const doc of docs) {
      for (const error of doc.errors) {
        const detail = error.message.split("\n")[0] ?? error.message;
        this.diagnostics.push({
          ...testMessages.yamlSyntax(lowerFirst(detail.replace(/ at line \d+, column \d+:?$/, ""))),
          severity: "error",
          span: this.spanOfRange(error.pos[0], error.pos[1]),
        });
      }
      if (doc.errors.length === 0) this.documents.push(doc);
    }
  }

  /** Span of a node (or of the whole file start when the node has no range). */
  span(node: Node | null | undefined): Span {
    const range = node?.range;
    if (!range) return { file: this.file, line: 1, col: 1, endLine: 1, endCol: 1 };
    return this.spanOfRange(range[0], range[1]);
  }

  /** Span of the characters [start, end): the end is inclusive, as in the grammar's spans. */
  private spanOfRange(start: number, end: number): Span {
    const a = this.lines.linePos(start);
    const b = this.lines.linePos(Math.max(start, end - 1));
    return { file: this.file, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  }
}

/** Human name of a node's type, for "must be X, found Y" messages. */
export function describeNode(node: unknown): string {
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return "null";
    if (typeof v === "string") return "a string";
    if (typeof v === "number") return "a number";
    if (typeof v === "boolean") return "a boolean";
  }
  if (isAlias(node)) return "an alias";
  return "nothing";
}

/**
 * Converts a node to plain JSON-like data. Keys become own data properties (so `__proto__`
 * stays an ordinary key); aliases are resolved with a depth bound against alias bombs.
 */
export function toPlain(node: unknown, doc: Document.Parsed, depth = 0): unknown {
  if (depth > 64) return null;
  if (isAlias(node)) return toPlain(node.resolve(doc), doc, depth + 1);
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map((item) => toPlain(item, doc, depth + 1));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      Object.defineProperty(out, key, {
        value: toPlain(pair.value, doc, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return null;
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}
