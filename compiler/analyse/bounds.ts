/**
 * "Never matches" by contradictory numeric bounds: collects the conjuncts of a condition joined by
 * `&&` of the form `<path> <op> <number>` (either side) and intersects the intervals per path,
 * e.g. `x > 5 && x < 3` or `x == 1 && x == 2`. Sound for the conjunctions it understands; silent
 * on everything else.
 */
import type { Expr } from "../../grammar/index.js";

interface Interval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

function pathOf(e: Expr): string | undefined {
  if (e.kind === "ident") return e.name;
  if (e.kind === "member") {
    const o = pathOf(e.object);
    return o === undefined ? undefined : `${o}.${e.field}`;
  }
  return undefined;
}

function numberOf(e: Expr): number | undefined {
  if (e.kind === "literal" && typeof e.value === "number") return e.value;
  if (e.kind === "unary" && e.op === "-") {
    const v = numberOf(e.operand);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

const FLIP: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==" };

function conjuncts(e: Expr, out: Expr[]): Expr[] {
  if (e.kind === "binary" && e.op === "&&") {
    conjuncts(e.left, out);
    conjuncts(e.right, out);
  } else out.push(e);
  return out;
}

/** Paths whose bounds contradict each other (empty when none), sorted. */
export function contradictoryPaths(e: Expr): string[] {
  const intervals = new Map<string, Interval>();
  for (const c of conjuncts(e, [])) {
    if (c.kind !== "binary" || FLIP[c.op] === undefined) continue;
    let path = pathOf(c.left);
    let n = numberOf(c.right);
    let op: string = c.op;
    if (path === undefined || n === undefined) {
      path = pathOf(c.right);
      n = numberOf(c.left);
      op = FLIP[c.op]!;
    }
    if (path === undefined || n === undefined) continue;
    const i = intervals.get(path) ?? { lo: -Infinity, loOpen: false, hi: Infinity, hiOpen: false };
    if (op === ">" || op === ">=" || op === "==") {
      const open = op === ">";
      if (n > i.lo || (n === i.lo && open)) {
        i.lo = n;
        i.loOpen = open;
      }
    }
    if (op === "<" || op === "<=" || op === "==") {
      const open = op === "<";
      if (n < i.hi || (n === i.hi && open)) {
        i.hi = n;
        i.hiOpen = open;
      }
    }
    intervals.set(path, i);
  }
  const out: string[] = [];
  for (const [path, i] of intervals) {
    if (i.lo > i.hi || (i.lo === i.hi && (i.loOpen || i.hiOpen))) out.push(path);
  }
  return out.sort();
}
