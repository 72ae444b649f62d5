import type { BinaryExpr, CallExpr, Expr } from "../ast.js";
import { builtins } from "../builtins/registry.js";
import type { CheckInfo } from "../checker/check.js";
import { isPrimitive, T, type Type } from "../types.js";
import { jsLiteral } from "./literal.js";

/** The generated code of one expression (see `compileExpression`). */
export interface GeneratedCode {
  expression: string;
  hoisted: string[];
}

const ORDERED = new Set(["number", "string", "timestamp", "duration"]);
const DIRECT_ARITH = new Set([
  "number + number",
  "number - number",
  "number * number",
  "string + string",
  "timestamp + duration",
  "duration + timestamp",
  "duration + duration",
  "timestamp - timestamp",
  "timestamp - duration",
  "duration - duration",
]);
const HELPER_OF: Record<string, string> = {
  "<": "$pg_lt",
  "<=": "$pg_le",
  ">": "$pg_gt",
  ">=": "$pg_ge",
  "+": "$pg_add",
  "-": "$pg_sub",
  "*": "$pg_mul",
  "/": "$pg_div",
  "%": "$pg_mod",
};

/** Run-time validation of a value read from the input, by its static type. */
export function validator(t: Type): string | undefined {
  switch (t.kind) {
    case "string":
      return "$pg_s";
    case "number":
      return "$pg_n";
    case "bool":
      return "$pg_b";
    case "list":
      return "$pg_l";
    case "timestamp":
      return "$pg_t";
    case "duration":
      return "$pg_d";
    default:
      return undefined;
  }
}

/**
 * Generates JavaScript for a type-checked expression. Invariants of the output:
 * values read from the input are validated against their static type (so direct `===`, `<`,
 * `+` are only emitted on values known to be primitives of one type); every string from the
 * source goes through `jsLiteral`; field reads go through `$pg_get`/`$pg_index`; `&&`, `||`
 * and the `exists`/`all` macros are hoisted functions that absorb `$pg_Error`s per CEL.
 */
export class CodeGenerator {
  readonly hoisted: string[] = [];
  private readonly consts = new Map<string, string>();
  private counter = 0;
  private scope: string[] = [];

  constructor(
    private readonly info: CheckInfo,
    private readonly prefix: string,
  ) {}

  private name(kind: string): string {
    return `$${kind}_${this.prefix}_${this.counter++}`;
  }

  /** Declares (once per distinct initializer) a module-level constant. */
  hoist(kind: string, init: string): string {
    const prev = this.consts.get(init);
    if (prev) return prev;
    const n = this.name(kind);
    this.consts.set(init, n);
    this.hoisted.push(`const ${n} = ${init};`);
    return n;
  }

  private typeOf(e: Expr): Type {
    return this.info.types.get(e) ?? T.dyn;
  }

  private params(): string {
    return ["ctx", ...this.scope.map((v) => `$v_${v}`)].join(", ");
  }

  private boolCode(e: Expr): string {
    const code = this.gen(e);
    return this.typeOf(e).kind === "bool" ? code : `$pg_b(${code})`;
  }

  private checked(t: Type, code: string): string {
    const v = validator(t);
    return v ? `${v}(${code})` : code;
  }

  gen(e: Expr): string {
    switch (e.kind) {
      case "literal":
        return jsLiteral(e.value);
      case "list":
        return `[${e.elements.map((x) => this.gen(x)).join(", ")}]`;
      case "map":
        return `$pg_mkmap(${e.entries.flatMap((en) => [this.gen(en.key), this.gen(en.value)]).join(", ")})`;
      case "ident": {
        const b = this.info.idents.get(e);
        if (b?.kind === "var") return `$v_${e.name}`;
        if (b?.kind === "constant") {
          const v = b.value;
          if (v === null || typeof v !== "object") return jsLiteral(v);
          return this.hoist("k", jsLiteral(v));
        }
        return this.checked(this.typeOf(e), `$pg_get(ctx, ${jsLiteral(e.name)})`);
      }
      case "member":
        return this.checked(
          this.typeOf(e),
          `$pg_get(${this.gen(e.object)}, ${jsLiteral(e.field)})`,
        );
      case "index": {
        const objT = this.typeOf(e.object);
        const lit = e.index.kind === "literal" && typeof e.index.value === "string";
        const fn = lit && (objT.kind === "object" || objT.kind === "map") ? "$pg_get" : "$pg_index";
        return this.checked(this.typeOf(e), `${fn}(${this.gen(e.object)}, ${this.gen(e.index)})`);
      }
      case "call":
        return this.call(e);
      case "unary": {
        const t = this.typeOf(e.operand);
        const x = this.gen(e.operand);
        if (e.op === "!") return t.kind === "bool" ? `!${x}` : `$pg_not(${x})`;
        return t.kind === "number" || t.kind === "duration" ? `(-${x})` : `$pg_neg(${x})`;
      }
      case "binary":
        return this.binary(e);
      case "conditional":
        return `(${this.boolCode(e.test)} ? ${this.gen(e.consequent)} : ${this.gen(e.alternate)})`;
    }
  }

  /** Operands of a chain of the same logical operator, flattened (`a && (b && c)` too). */
  private chain(e: Expr, op: "&&" | "||", out: Expr[]): Expr[] {
    if (e.kind === "binary" && e.op === op) {
      this.chain(e.left, op, out);
      this.chain(e.right, op, out);
    } else out.push(e);
    return out;
  }

  private binary(e: BinaryExpr): string {
    if (e.op === "&&" || e.op === "||") return this.logical(e, e.op);
    const lt = this.typeOf(e.left);
    const rt = this.typeOf(e.right);
    if (e.op === "in") return this.inCode(e, lt, rt);
    const l = this.gen(e.left);
    const r = this.gen(e.right);
    if (e.op === "==" || e.op === "!=") {
      const direct = isPrimitive(lt) && isPrimitive(rt);
      if (direct) return `(${l} ${e.op === "==" ? "===" : "!=="} ${r})`;
      return `${e.op === "==" ? "" : "!"}$pg_eq(${l}, ${r})`;
    }
    if (e.op === "<" || e.op === "<=" || e.op === ">" || e.op === ">=") {
      if (ORDERED.has(lt.kind) && lt.kind === rt.kind) return `(${l} ${e.op} ${r})`;
      return `${HELPER_OF[e.op]}(${l}, ${r})`;
    }
    if (DIRECT_ARITH.has(`${lt.kind} ${e.op} ${rt.kind}`)) return `(${l} ${e.op} ${r})`;
    return `${HELPER_OF[e.op]}(${l}, ${r})`;
  }

  /** A list of primitive literals or a constant list of primitives, as a hoisted Set. */
  private constantSet(e: Expr): string | undefined {
    let values: unknown[] | undefined;
    if (e.kind === "list" && e.elements.every((x) => x.kind === "literal" && x.value !== null)) {
      values = e.elements.map((x) => (x as { value: unknown }).value);
    } else if (e.kind === "ident") {
      const b = this.info.idents.get(e);
      if (b?.kind === "constant" && Array.isArray(b.value)) values = b.value;
    }
    if (!values || values.length === 0) return undefined;
    const first = typeof values[0];
    if (first !== "string" && first !== "number" && first !== "boolean") return undefined;
    if (!values.every((v) => typeof v === first)) return undefined;
    return this.hoist("set", `new Set(${jsLiteral(values)})`);
  }

  private inCode(e: BinaryExpr, lt: Type, rt: Type): string {
    const l = this.gen(e.left);
    if (isPrimitive(lt) && lt.kind !== "timestamp" && lt.kind !== "duration") {
      const set = this.constantSet(e.right);
      if (set) return `${set}.has(${l})`;
      if (rt.kind === "list" && rt.elem.kind === lt.kind)
        return `${this.gen(e.right)}.includes(${l})`;
    }
    return `$pg_in(${l}, ${this.gen(e.right)})`;
  }

  /**
   * CEL's commutative `&&`/`||`: a false (true) operand decides even if another operand errs;
   * otherwise the first error is thrown. Hoisted so the fast path has no closure.
   */
  private logical(e: BinaryExpr, op: "&&" | "||"): string {
    const operands = this.chain(e, op, []);
    const decisive = op === "&&" ? "false" : "true";
    const fn = this.name(op === "&&" ? "and" : "or");
    const body = operands.map((x) => {
      const test = `if (${this.boolCode(x)} === ${decisive}) return ${decisive};`;
      if (x.kind === "literal") return `  ${test}`;
      return `  try {\n    ${test}\n  } catch ($e) {\n    $err = $pg_absorb($e, $err);\n  }`;
    });
    this.hoisted.push(
      [
        `function ${fn}(${this.params()}) {`,
        "  let $err = null;",
        ...body,
        "  if ($err !== null) throw $err;",
        `  return ${op === "&&" ? "true" : "false"};`,
        "}",
      ].join("\n"),
    );
    return `${fn}(${this.params()})`;
  }

  private call(e: CallExpr): string {
    if (e.name === "has" && !e.target) {
      const arg = e.args[0]!;
      if (arg.kind === "member") return `$pg_has(${this.gen(arg.object)}, ${jsLiteral(arg.field)})`;
      if (arg.kind === "index") return `$pg_has(${this.gen(arg.object)}, ${this.gen(arg.index)})`;
    }
    const overload = this.info.overloads.get(e);
    if (!overload && e.target) return this.macro(e);
    if (!overload) throw new Error(`internal: unresolved call \`${e.name}\``);
    const code = [...(e.target ? [this.gen(e.target)] : []), ...e.args.map((a) => this.gen(a))];
    const b = builtins.get(e.name);
    const custom = b?.emit?.(e, overload, code, {
      hoist: (kind, init) => this.hoist(kind, init),
      literal: jsLiteral,
    });
    return custom ?? `${overload.helper}(${code.join(", ")})`;
  }

  /** Comprehension macros, as hoisted loops over `$pg_iter(target)`. */
  private macro(e: CallExpr): string {
    const v = (e.args[0] as { name: string }).name;
    const target = this.gen(e.target!);
    const outer = this.params();
    const elemT = this.info.types.get(e.args[0]!) ?? T.dyn;
    const fn = this.name(e.name === "exists_one" ? "existsOne" : e.name);
    const saved = this.scope;
    this.scope = [...saved.filter((s) => s !== v), v];
    const bodyExpr = e.args[1]!;
    const body = e.name === "map" ? this.gen(bodyExpr) : this.boolCode(bodyExpr);
    this.scope = saved;
    const elem = this.checked(elemT, "$it[$i]");
    const loop = (inner: string[]) => [
      "  const $it = $pg_iter($c);",
      "  for (let $i = 0; $i < $it.length; $i++) {",
      `    const $v_${v} = ${elem};`,
      ...inner.map((l) => `    ${l}`),
      "  }",
    ];
    let lines: string[];
    switch (e.name) {
      case "exists":
      case "all": {
        const d = e.name === "exists" ? "true" : "false";
        lines = [
          "  let $err = null;",
          ...loop([
            "try {",
            `  if (${body} === ${d}) return ${d};`,
            "} catch ($e) {",
            "  $err = $pg_absorb($e, $err);",
            "}",
          ]),
          "  if ($err !== null) throw $err;",
          `  return ${d === "true" ? "false" : "true"};`,
        ];
        break;
      }
      case "exists_one":
        lines = ["  let $n = 0;", ...loop([`if (${body}) $n++;`]), "  return $n === 1;"];
        break;
      case "filter":
        lines = [
          "  const $out = [];",
          ...loop([`if (${body}) $out.push($v_${v});`]),
          "  return $out;",
        ];
        break;
      default:
        lines = ["  const $out = [];", ...loop([`$out.push(${body});`]), "  return $out;"];
    }
    const params = [...outer.split(", "), "$c"].join(", ");
    this.hoisted.push([`function ${fn}(${params}) {`, ...lines, "}"].join("\n"));
    return `${fn}(${outer}, ${target})`;
  }
}
