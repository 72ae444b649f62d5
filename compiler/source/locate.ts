/**
 * Source positions for YAML nodes. `yaml` keeps `range = [start, valueEnd, nodeEnd]` (byte
 * offsets in the source string) on every node; the file's LineCounter turns offsets into 1-based
 * line/col.
 */

import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair, Scalar } from "yaml";
import type { Span } from "../../grammar/index.js";

export function spanAt(file: string, lc: LineCounter, start: number, end: number): Span {
  const a = lc.linePos(start);
  const b = lc.linePos(Math.max(start, end));
  return { file, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
}

export function nodeSpan(file: string, lc: LineCounter, node: Node | null | undefined): Span {
  const r = node?.range;
  if (!r) return { file, line: 1, col: 1, endLine: 1, endCol: 1 };
  return spanAt(file, lc, r[0], r[1]);
}

/** The pair of `map` whose key is `key`, if any. */
export function pairOf(
  map: Node | null | undefined,
  key: string,
): Pair<Node, Node | null> | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    const k = item.key;
    if (isScalar(k) && String(k.value) === key) return item as Pair<Node, Node | null>;
  }
  return undefined;
}

/**
 * Finds the node at `path` under `root`. With `key: true`, a final string segment locates the
 * mapping key (used for "unknown field" diagnostics) rather than its value.
 */
export function nodeAt(
  root: Node | null | undefined,
  path: readonly (string | number)[],
  key = false,
): Node | undefined {
  let cur: Node | null | undefined = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (typeof seg === "number") {
      if (!isSeq(cur)) return cur ?? undefined;
      cur = cur.items[seg] as Node | undefined;
    } else {
      const pair = pairOf(cur, seg);
      if (!pair) return cur ?? undefined;
      if (key && i === path.length - 1) return pair.key;
      cur = pair.value ?? pair.key;
    }
  }
  return cur ?? undefined;
}

/** A locator closed over one document: path → span, falling back to the nearest ancestor. */
export function locator(
  file: string,
  lc: LineCounter,
  root: Node | null | undefined,
): (path: (string | number)[], key?: boolean) => Span {
  return (path, key = false) => nodeSpan(file, lc, nodeAt(root, path, key));
}

/**
 * Where a condition's text starts in the file, and the text to parse so that the parser's
 * positions map onto the file.
 *
 * - plain scalars and block scalars (`|`, `>`): the raw source slice is handed to the parser; the
 *   only differences from the scalar's value are line breaks and indentation, which are
 *   insignificant whitespace in the condition language, so every position maps exactly;
 * - quoted scalars without escapes or line breaks: the raw text between the quotes (exact);
 * - other quoted scalars: the value, with the origin just after the opening quote (positions
 *   after an escape may be off by the escape's length).
 */
export function conditionText(
  source: string,
  lc: LineCounter,
  node: Scalar,
): { parseText: string; line: number; col: number } {
  const [start, end] = node.range ?? [0, 0];
  const value = String(node.value);
  const pos = (off: number) => lc.linePos(off);
  switch (node.type) {
    case Scalar.PLAIN: {
      const p = pos(start);
      return { parseText: source.slice(start, end), line: p.line, col: p.col };
    }
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED: {
      // range starts at the indicator (`|`, `>-`, ...); content starts on the next line.
      const nl = source.indexOf("\n", start);
      if (nl < 0 || nl >= end) return { parseText: value, ...pos(start) };
      const body = source.slice(nl + 1, end);
      const p = pos(nl + 1);
      return { parseText: body, line: p.line, col: p.col };
    }
    default: {
      const inner = source.slice(start + 1, Math.max(start + 1, end - 1));
      const p = pos(start + 1);
      const exact =
        node.type === Scalar.QUOTE_SINGLE
          ? !inner.includes("''") && !/[\r\n]/.test(inner)
          : !inner.includes("\\") && !/[\r\n]/.test(inner);
      return { parseText: exact ? inner : value, line: p.line, col: p.col };
    }
  }
}
