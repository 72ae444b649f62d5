import type { CallExpr, Expr, IdentExpr } from "../ast.js";
import type { Overload } from "../builtins/builtin.js";
import { macroNames } from "../builtins/lists.js";
import { builtins } from "../builtins/registry.js";
import { error } from "../diagnostics.js";
import { closest } from "../fuzzy.js";
import { helps, type MessageCode } from "../messages.js";
import type { ContextSchema } from "../schema.js";
import type { Diagnostic, Span } from "../span.js";
import { assignable, isPrimitive, T, type Type, typeName, typeOfValue, unify } from "../types.js";

/** How an identifier resolved. */
export type IdentBinding =
  | { kind: "context" }
  | { kind: "constant"; value: unknown }
  | { kind: "var"; name: string };

/** Everything later stages (code generation, interpretation) need from type checking. */
export interface CheckInfo {
  types: Map<Expr, Type>;
  overloads: Map<CallExpr, Overload>;
  idents: Map<IdentExpr, IdentBinding>;
}

export interface CheckOutput {
  type: Type;
  diagnostics: Diagnostic[];
  usedConstants: string[];
  info: CheckInfo;
}

/** Field names that are never read (prototype pollution guards). */
export const FORBIDDEN_FIELDS: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);

const MACROS: ReadonlySet<string> = new Set(macroNames);
const RELATIONAL = new Set(["<", "<=", ">", ">="]);
const ORDERED = new Set(["number", "string", "timestamp", "duration"]);

const isDyn = (t: Type) => t.kind === "dyn";
const known = (t: Type) => t.kind !== "dyn" && t.kind !== "null";
/** Same runtime family, for `==` (objects and maps are both maps). */
const family = (t: Type) => (t.kind === "object" ? "map" : t.kind);

/**
 * The type checker: resolves names against the schema, the policy constants and macro
 * variables, types every node, resolves builtin overloads and validates literal arguments.
 * It never stops at the first error; an ill-typed node gets type `dyn` to avoid cascades.
 */
export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly used = new Set<string>();
  readonly info: CheckInfo = { types: new Map(), overloads: new Map(), idents: new Map() };

  constructor(
    private readonly schema: ContextSchema,
    private readonly constants: Record<string, unknown>,
  ) {}

  private report(span: Span, code: MessageCode, args: string[], help?: string): void {
    this.diagnostics.push(error(span, code as "E0001", args as [string], help));
  }

  check(e: Expr, scope: ReadonlyMap<string, Type> = new Map()): Type {
    const t = this.infer(e, scope);
    this.info.types.set(e, t);
    return t;
  }

  private infer(e: Expr, scope: ReadonlyMap<string, Type>): Type {
    switch (e.kind) {
      case "literal":
        return typeOfValue(e.value);
      case "list": {
        let elem: Type | undefined;
        let mixed = false;
        for (const el of e.elements) {
          const t = this.check(el, scope);
          if (elem === undefined) elem = t;
          else if (typeName(elem) !== typeName(t)) mixed = true;
        }
        return T.list(mixed || !elem ? T.dyn : elem);
      }
      case "map": {
        let value: Type | undefined;
        let mixed = false;
        const seen = new Set<string>();
        for (const en of e.entries) {
          const kt = this.check(en.key, scope);
          if (!isDyn(kt) && kt.kind !== "string") this.report(en.key.span, "E0115", [typeName(kt)]);
          if (en.key.kind === "literal" && typeof en.key.value === "string") {
            if (FORBIDDEN_FIELDS.has(en.key.value))
              this.report(en.key.span, "E0103", [en.key.value]);
            if (seen.has(en.key.value)) this.report(en.key.span, "E0116", [en.key.value]);
            seen.add(en.key.value);
          }
          const vt = this.check(en.value, scope);
          if (value === undefined) value = vt;
          else if (typeName(value) !== typeName(vt)) mixed = true;
        }
        return T.map(mixed || !value ? T.dyn : value);
      }
      case "ident":
        return this.ident(e, scope);
      case "member":
        return this.select(
          this.check(e.object, scope),
          e.field,
          fieldSpan(e.span, e.field),
          e.object,
        );
      case "index":
        return this.index(e, scope);
      case "call":
        return this.call(e, scope);
      case "unary": {
        const t = this.check(e.operand, scope);
        if (e.op === "!") {
          if (!assignable(t, T.bool)) this.report(e.operand.span, "E0108", ["!", typeName(t)]);
          return T.bool;
        }
        if (isDyn(t)) return T.number;
        if (t.kind !== "number" && t.kind !== "duration") {
          this.report(e.operand.span, "E0108", ["-", typeName(t)]);
          return T.dyn;
        }
        return t;
      }
      case "binary":
        return this.binary(e, scope);
      case "conditional": {
        const c = this.check(e.test, scope);
        if (!assignable(c, T.bool)) {
          this.report(e.test.span, "E0109", ["the condition of `?:`", typeName(c)]);
        }
        const a = this.check(e.consequent, scope);
        const b = this.check(e.alternate, scope);
        if (known(a) && known(b) && family(a) !== family(b)) {
          this.report(e.span, "E0118", [typeName(a), typeName(b)]);
        }
        return unify(a, b);
      }
    }
  }

  private ident(e: IdentExpr, scope: ReadonlyMap<string, Type>): Type {
    const local = scope.get(e.name);
    if (local) {
      this.info.idents.set(e, { kind: "var", name: e.name });
      return local;
    }
    const field = Object.hasOwn(this.schema.fields, e.name)
      ? this.schema.fields[e.name]
      : undefined;
    if (field) {
      this.info.idents.set(e, { kind: "context" });
      return field;
    }
    if (Object.hasOwn(this.constants, e.name)) {
      this.used.add(e.name);
      const value = this.constants[e.name];
      this.info.idents.set(e, { kind: "constant", value });
      return typeOfValue(value);
    }
    const near = closest(e.name, [
      ...scope.keys(),
      ...Object.keys(this.schema.fields),
      ...Object.keys(this.constants),
    ]);
    this.report(e.span, "E0101", [e.name], near ? helps.didYouMean(near) : undefined);
    return T.dyn;
  }

  /** Type of `object.field` (also used for `object["literal"]`). */
  private select(t: Type, field: string, span: Span, object: Expr): Type {
    if (FORBIDDEN_FIELDS.has(field)) {
      this.report(span, "E0103", [field]);
      return T.dyn;
    }
    switch (t.kind) {
      case "dyn":
        return T.dyn;
      case "map":
        return t.value;
      case "object": {
        const f = Object.hasOwn(t.fields, field) ? t.fields[field] : undefined;
        if (f) return f;
        const near = closest(field, Object.keys(t.fields));
        if (t.open) {
          if (near) {
            this.report(span, "W0001", [field, describePath(object)], helps.didYouMean(near));
          }
          return T.dyn;
        }
        this.report(
          span,
          "E0102",
          [field, describePath(object)],
          near ? helps.didYouMean(near) : undefined,
        );
        return T.dyn;
      }
      default:
        this.report(span, "E0110", [field, typeName(t)]);
        return T.dyn;
    }
  }

  private index(e: Extract<Expr, { kind: "index" }>, scope: ReadonlyMap<string, Type>): Type {
    const t = this.check(e.object, scope);
    const k = this.check(e.index, scope);
    if (
      e.index.kind === "literal" &&
      typeof e.index.value === "string" &&
      (t.kind === "object" || t.kind === "map")
    ) {
      return this.select(t, e.index.value, e.index.span, e.object);
    }
    if (
      e.index.kind === "literal" &&
      typeof e.index.value === "string" &&
      FORBIDDEN_FIELDS.has(e.index.value)
    ) {
      this.report(e.index.span, "E0103", [e.index.value]);
      return T.dyn;
    }
    switch (t.kind) {
      case "dyn":
        if (!isDyn(k) && k.kind !== "number" && k.kind !== "string") {
          this.report(e.index.span, "E0111", [typeName(t), typeName(k)]);
        }
        return T.dyn;
      case "list":
        if (!assignable(k, T.number))
          this.report(e.index.span, "E0111", [typeName(t), typeName(k)]);
        return t.elem;
      case "map":
      case "object":
        if (!assignable(k, T.string))
          this.report(e.index.span, "E0111", [typeName(t), typeName(k)]);
        return t.kind === "map" ? t.value : T.dyn;
      default:
        this.report(e.span, "E0111", [typeName(t), typeName(k)]);
        return T.dyn;
    }
  }

  private binary(e: Extract<Expr, { kind: "binary" }>, scope: ReadonlyMap<string, Type>): Type {
    const l = this.check(e.left, scope);
    const r = this.check(e.right, scope);
    const op = e.op;
    const pair = `${typeName(l)} and ${typeName(r)}`;
    if (op === "&&" || op === "||") {
      for (const [side, t] of [
        [e.left, l],
        [e.right, r],
      ] as const) {
        if (!assignable(t, T.bool))
          this.report(side.span, "E0109", [`an operand of \`${op}\``, typeName(t)]);
      }
      return T.bool;
    }
    if (op === "==" || op === "!=") {
      if (known(l) && known(r) && family(l) !== family(r)) {
        this.report(e.span, "E0107", [op, typeName(l), typeName(r)], helps.compareTypes);
      }
      return T.bool;
    }
    if (RELATIONAL.has(op)) {
      if (known(l) && !ORDERED.has(l.kind)) this.report(e.span, "E0108", [op, pair]);
      else if (known(r) && !ORDERED.has(r.kind)) this.report(e.span, "E0108", [op, pair]);
      else if (known(l) && known(r) && l.kind !== r.kind) {
        this.report(e.span, "E0107", [op, typeName(l), typeName(r)], helps.compareTypes);
      }
      return T.bool;
    }
    if (op === "in") {
      if (r.kind === "list") {
        if (known(l) && known(r.elem) && family(l) !== family(r.elem)) {
          this.report(e.span, "E0119", [typeName(l), typeName(r)]);
        }
      } else if (r.kind === "map" || r.kind === "object") {
        if (known(l) && l.kind !== "string")
          this.report(e.span, "E0119", [typeName(l), typeName(r)]);
      } else if (!isDyn(r)) {
        this.report(e.span, "E0119", [typeName(l), typeName(r)]);
      }
      return T.bool;
    }
    return this.arithmetic(op, l, r, e.span, pair);
  }

  private arithmetic(op: string, l: Type, r: Type, span: Span, pair: string): Type {
    const k = `${l.kind} ${op} ${r.kind}`;
    const table: Record<string, Type> = {
      "number + number": T.number,
      "string + string": T.string,
      "timestamp + duration": T.timestamp,
      "duration + timestamp": T.timestamp,
      "duration + duration": T.duration,
      "number - number": T.number,
      "timestamp - timestamp": T.duration,
      "timestamp - duration": T.timestamp,
      "duration - duration": T.duration,
      "number * number": T.number,
      "number / number": T.number,
      "number % number": T.number,
    };
    const hit = table[k];
    if (hit) return hit;
    if (op === "+" && l.kind === "list" && r.kind === "list") return T.list(unify(l.elem, r.elem));
    if (isDyn(l) || isDyn(r)) {
      const other = isDyn(l) ? r : l;
      if (isDyn(other)) return T.dyn;
      if (other.kind === "number") return T.number;
      if (op === "+" && (other.kind === "string" || other.kind === "list")) return other;
    }
    this.report(span, "E0108", [op, pair]);
    return T.dyn;
  }

  private call(e: CallExpr, scope: ReadonlyMap<string, Type>): Type {
    if (MACROS.has(e.name) && (e.name === "has" ? !e.target : e.target !== undefined)) {
      return this.macro(e, scope);
    }
    const b = builtins.get(e.name);
    const recv = e.target ? this.check(e.target, scope) : undefined;
    const args = e.args.map((a) => this.check(a, scope));
    if (!b) {
      const near = closest(e.name, [...builtins.keys(), ...MACROS]);
      this.report(e.span, "E0104", [e.name], near ? helps.didYouMean(near) : undefined);
      return T.dyn;
    }
    const forms = b.overloads.filter((o) => (o.receiver !== undefined) === (recv !== undefined));
    if (forms.length === 0) {
      if (recv) this.report(e.span, "E0117", [e.name, typeName(recv)]);
      else
        this.report(
          e.span,
          "E0104",
          [e.name],
          `\`${e.name}\` is a method: write \`x.${e.name}(...)\``,
        );
      return T.dyn;
    }
    const counts = forms.filter((o) => o.params.length === args.length);
    if (counts.length === 0) {
      const ns = [...new Set(forms.map((o) => o.params.length))].sort();
      const expected = ns.map((n) => `${n} argument${n === 1 ? "" : "s"}`).join(" or ");
      this.report(e.span, "E0105", [e.name, expected, String(args.length)]);
      return T.dyn;
    }
    const fits = (o: Overload, strict: boolean) =>
      (!o.receiver ||
        !recv ||
        (strict ? fitsStrict(recv, o.receiver) : assignable(recv, o.receiver))) &&
      o.params.every((p, i) => (strict ? fitsStrict(args[i]!, p) : assignable(args[i]!, p)));
    const chosen =
      counts.find((o) => fits(o, true)) ??
      counts.find((o) => o.dynamic && fits(o, false)) ??
      counts.find((o) => fits(o, false));
    if (!chosen) {
      const got = [recv, ...args]
        .filter((t): t is Type => t !== undefined)
        .map(typeName)
        .join(", ");
      if (recv && !counts.some((o) => assignable(recv, o.receiver!))) {
        this.report(e.span, "E0117", [e.name, typeName(recv)]);
      } else this.report(e.span, "E0106", [e.name, got]);
      return T.dyn;
    }
    this.info.overloads.set(e, chosen);
    b.check?.(e, e.args, (span, code, a, help) => this.report(span, code, a, help));
    return typeof chosen.result === "function" ? chosen.result(recv, args) : chosen.result;
  }

  private macro(e: CallExpr, scope: ReadonlyMap<string, Type>): Type {
    if (e.name === "has") {
      const arg = e.args[0];
      if (e.args.length !== 1 || !arg) {
        this.report(e.span, "E0105", ["has", "1 argument", String(e.args.length)]);
        return T.bool;
      }
      const ok =
        arg.kind === "member" ||
        (arg.kind === "index" &&
          arg.index.kind === "literal" &&
          typeof arg.index.value === "string");
      if (!ok) {
        this.report(arg.span, "E0113", []);
        return T.bool;
      }
      this.check(arg, scope);
      return T.bool;
    }
    const target = this.check(e.target!, scope);
    const expectedArgs = 2;
    if (e.args.length !== expectedArgs) {
      this.report(e.span, "E0105", [e.name, "2 arguments", String(e.args.length)]);
      return T.dyn;
    }
    const v = e.args[0]!;
    if (v.kind !== "ident") {
      this.report(v.span, "E0112", [e.name]);
      return T.dyn;
    }
    let elem: Type;
    if (target.kind === "list") elem = target.elem;
    else if (target.kind === "map" || target.kind === "object") elem = T.string;
    else if (isDyn(target)) elem = T.dyn;
    else {
      this.report(e.target!.span, "E0114", [e.name, typeName(target)]);
      elem = T.dyn;
    }
    this.info.types.set(v, elem);
    this.info.idents.set(v, { kind: "var", name: v.name });
    const inner = new Map(scope);
    inner.set(v.name, elem);
    const body = this.check(e.args[1]!, inner);
    if (e.name === "map") return T.list(body);
    if (!assignable(body, T.bool)) {
      this.report(e.args[1]!.span, "E0109", [`the predicate of \`${e.name}\``, typeName(body)]);
    }
    if (e.name === "filter") return T.list(elem);
    return T.bool;
  }
}

/** Exact match (no `dyn` widening), for preferring precise overloads. */
function fitsStrict(actual: Type, expected: Type): boolean {
  if (isDyn(expected)) return isDyn(actual);
  if (isDyn(actual)) return false;
  if (expected.kind === "list") return actual.kind === "list";
  if (expected.kind === "map") return actual.kind === "map" || actual.kind === "object";
  return actual.kind === expected.kind || (isPrimitive(actual) && actual.kind === expected.kind);
}

/** The span of the field name at the end of a member expression's span. */
function fieldSpan(span: Span, field: string): Span {
  return { ...span, line: span.endLine, col: Math.max(1, span.endCol - field.length + 1) };
}

/** Source-like name of a path for messages (`agent`, `args.items`, …). */
function describePath(e: Expr): string {
  switch (e.kind) {
    case "ident":
      return e.name;
    case "member":
      return `${describePath(e.object)}.${e.field}`;
    case "index":
      return `${describePath(e.object)}[…]`;
    default:
      return "value";
  }
}
