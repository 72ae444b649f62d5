import type { Expr } from "../ast.js";

/**
 * A small reference interpreter for the property tests, written independently of
 * grammar/interpreter.ts and of the PRELUDE: it implements the CEL rules for the subset the
 * generators produce (numbers, strings, bools, lists, field access, has, size, string methods,
 * int/string, exists/all, && || with error absorption, ?:).
 */
export class RefError extends Error {}

const own = (o: unknown, k: string): boolean =>
  typeof o === "object" && o !== null && !Array.isArray(o) && Object.hasOwn(o, k);

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  return typeof v === "object" ? "map" : typeof v;
}

function equal(a: unknown, b: unknown): boolean {
  if (kindOf(a) !== kindOf(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return a === b;
}

export function refEval(
  e: Expr,
  ctx: Record<string, unknown>,
  vars: Record<string, unknown> = {},
): unknown {
  const ev = (x: Expr) => refEval(x, ctx, vars);
  const num = (x: Expr) => {
    const v = ev(x);
    if (typeof v !== "number") throw new RefError("not a number");
    return v;
  };
  const str = (x: Expr) => {
    const v = ev(x);
    if (typeof v !== "string") throw new RefError("not a string");
    return v;
  };
  const bool = (x: Expr) => {
    const v = ev(x);
    if (typeof v !== "boolean") throw new RefError("not a bool");
    return v;
  };
  switch (e.kind) {
    case "literal":
      return e.value;
    case "list":
      return e.elements.map(ev);
    case "ident":
      if (Object.hasOwn(vars, e.name)) return vars[e.name];
      if (!own(ctx, e.name)) throw new RefError("missing");
      return ctx[e.name];
    case "member": {
      const o = ev(e.object);
      if (!own(o, e.field)) throw new RefError("missing");
      return (o as Record<string, unknown>)[e.field];
    }
    case "index": {
      const o = ev(e.object);
      const k = ev(e.index);
      if (Array.isArray(o)) {
        if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k >= o.length)
          throw new RefError("index");
        return o[k];
      }
      if (typeof k !== "string" || !own(o, k)) throw new RefError("missing");
      return (o as Record<string, unknown>)[k];
    }
    case "unary":
      return e.op === "!" ? !bool(e.operand) : -num(e.operand);
    case "conditional":
      return bool(e.test) ? ev(e.consequent) : ev(e.alternate);
    case "binary": {
      if (e.op === "&&" || e.op === "||") {
        const decisive = e.op === "||";
        let err: unknown;
        for (const side of [e.left, e.right]) {
          try {
            if (bool(side) === decisive) return decisive;
          } catch (x) {
            err ??= x;
          }
        }
        if (err) throw err;
        return !decisive;
      }
      const l = ev(e.left);
      const r = ev(e.right);
      switch (e.op) {
        case "==":
        case "!=": {
          if (l !== null && r !== null && kindOf(l) !== kindOf(r)) throw new RefError("compare");
          return equal(l, r) === (e.op === "==");
        }
        case "<":
        case "<=":
        case ">":
        case ">=": {
          if (kindOf(l) !== kindOf(r) || (typeof l !== "number" && typeof l !== "string")) {
            throw new RefError("order");
          }
          const a = l as number;
          const b = r as number;
          return e.op === "<" ? a < b : e.op === "<=" ? a <= b : e.op === ">" ? a > b : a >= b;
        }
        case "in":
          if (Array.isArray(r)) return r.some((x) => equal(l, x));
          if (typeof r === "object" && r !== null) return typeof l === "string" && own(r, l);
          throw new RefError("in");
        case "+":
          if (typeof l === "string" && typeof r === "string") return l + r;
          if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
          if (typeof l === "number" && typeof r === "number") return l + r;
          throw new RefError("+");
        default: {
          if (typeof l !== "number" || typeof r !== "number") throw new RefError("arith");
          if (e.op === "-") return l - r;
          if (e.op === "*") return l * r;
          if (r === 0) throw new RefError("zero");
          return e.op === "/" ? l / r : l % r;
        }
      }
    }
    case "call": {
      const a = e.args;
      if (e.name === "has") {
        const m = a[0]!;
        if (m.kind !== "member") throw new RefError("has");
        const o = ev(m.object);
        if (typeof o !== "object" || o === null || Array.isArray(o)) throw new RefError("has");
        return own(o, m.field);
      }
      if (e.name === "exists" || e.name === "all") {
        const items = ev(e.target!);
        if (!Array.isArray(items)) throw new RefError("iter");
        const name = (a[0] as { name: string }).name;
        const decisive = e.name === "exists";
        let err: unknown;
        for (const item of items) {
          try {
            const v = refEval(a[1]!, ctx, { ...vars, [name]: item });
            if (typeof v !== "boolean") throw new RefError("not a bool");
            if (v === decisive) return decisive;
          } catch (x) {
            err ??= x;
          }
        }
        if (err) throw err;
        return !decisive;
      }
      const recv = e.target ? ev(e.target) : undefined;
      switch (e.name) {
        case "size": {
          const v = e.target ? recv : ev(a[0]!);
          if (typeof v === "string") return [...v].length;
          if (Array.isArray(v)) return v.length;
          throw new RefError("size");
        }
        case "startsWith":
        case "endsWith":
        case "contains": {
          if (typeof recv !== "string") throw new RefError("recv");
          const p = str(a[0]!);
          return e.name === "startsWith"
            ? recv.startsWith(p)
            : e.name === "endsWith"
              ? recv.endsWith(p)
              : recv.includes(p);
        }
        case "lowerAscii":
        case "upperAscii": {
          if (typeof recv !== "string") throw new RefError("recv");
          let out = "";
          for (const ch of recv) {
            const c = ch.charCodeAt(0);
            if (e.name === "lowerAscii" && c >= 65 && c <= 90) out += String.fromCharCode(c + 32);
            else if (e.name === "upperAscii" && c >= 97 && c <= 122)
              out += String.fromCharCode(c - 32);
            else out += ch;
          }
          return out;
        }
        case "int": {
          const v = ev(a[0]!);
          if (typeof v === "number") {
            if (!Number.isFinite(v)) throw new RefError("int");
            return Math.trunc(v) + 0;
          }
          if (typeof v === "string" && /^[+-]?\d+$/.test(v)) return Number(v);
          throw new RefError("int");
        }
        case "string": {
          const v = ev(a[0]!);
          if (typeof v === "string" || typeof v === "number" || typeof v === "boolean")
            return String(v);
          throw new RefError("string");
        }
      }
      throw new RefError(`unsupported ${e.name}`);
    }
    default:
      throw new RefError(`unsupported ${e.kind}`);
  }
}
