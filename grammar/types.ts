/**
 * Static types of the condition language. Numbers are JSON numbers (one `number` type; `int` in a
 * schema is an alias). `dyn` values are checked at run time. Objects are records with declared
 * fields; an `open` object also accepts undeclared fields (typed `dyn`).
 */
export type Type =
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "bool" }
  | { kind: "null" }
  | { kind: "timestamp" }
  | { kind: "duration" }
  | { kind: "dyn" }
  | { kind: "list"; elem: Type }
  | { kind: "map"; value: Type }
  | { kind: "object"; name: string; fields: Record<string, Type>; open: boolean };

export const T = {
  string: { kind: "string" },
  number: { kind: "number" },
  bool: { kind: "bool" },
  null: { kind: "null" },
  timestamp: { kind: "timestamp" },
  duration: { kind: "duration" },
  dyn: { kind: "dyn" },
  list: (elem: Type): Type => ({ kind: "list", elem }),
  map: (value: Type): Type => ({ kind: "map", value }),
} as const satisfies Record<string, Type | ((t: Type) => Type)>;

/** Scalar types whose runtime values are JS primitives that `===` compares correctly. */
export function isPrimitive(t: Type): boolean {
  return (
    t.kind === "string" ||
    t.kind === "number" ||
    t.kind === "bool" ||
    t.kind === "timestamp" ||
    t.kind === "duration"
  );
}

/** Human-readable type name used in messages, e.g. `list<string>`. */
export function typeName(t: Type): string {
  switch (t.kind) {
    case "list":
      return `list<${typeName(t.elem)}>`;
    case "map":
      return `map<string, ${typeName(t.value)}>`;
    case "object":
      return t.name;
    default:
      return t.kind;
  }
}

/** True when a value of type `actual` may be used where `expected` is wanted (dyn ⇒ run-time check). */
export function assignable(actual: Type, expected: Type): boolean {
  if (actual.kind === "dyn" || expected.kind === "dyn") return true;
  if (expected.kind === "list")
    return actual.kind === "list" && assignable(actual.elem, expected.elem);
  if (expected.kind === "map") {
    if (actual.kind === "map") return assignable(actual.value, expected.value);
    return actual.kind === "object";
  }
  if (expected.kind === "object") return actual.kind === "object" || actual.kind === "map";
  return actual.kind === expected.kind;
}

/**
 * The common type of two types (for list elements and `?:` branches), `dyn` when they differ or
 * either is `dyn` (a static type is a promise that the value was validated; `dyn` is not).
 */
export function unify(a: Type, b: Type): Type {
  if (a.kind === "dyn" || b.kind === "dyn") return T.dyn;
  if (a.kind === "list" && b.kind === "list") return T.list(unify(a.elem, b.elem));
  if (a.kind === "map" && b.kind === "map") return T.map(unify(a.value, b.value));
  if (a.kind === b.kind && a.kind !== "object") return a;
  return T.dyn;
}

/** The type of a JSON-like value (policy constants). */
export function typeOfValue(v: unknown): Type {
  if (v === null || v === undefined) return T.null;
  switch (typeof v) {
    case "string":
      return T.string;
    case "number":
      return T.number;
    case "boolean":
      return T.bool;
    case "object": {
      if (Array.isArray(v)) {
        const ts = v.map(typeOfValue);
        const first = ts[0];
        const same = first && ts.every((t) => typeName(t) === typeName(first));
        return T.list(same ? first : T.dyn);
      }
      const vs = Object.values(v as object).map(typeOfValue);
      const first = vs[0];
      const same = first && vs.every((t) => typeName(t) === typeName(first));
      return T.map(same ? first : T.dyn);
    }
    default:
      return T.dyn;
  }
}

/**
 * Parses a schema type string: `string`, `number` (`int`, `double`, `float`), `bool`
 * (`boolean`), `timestamp`, `duration`, `dyn` (`any`), `list`, `list<T>`, `map`, `map<string, T>`.
 * Returns undefined for an unknown type.
 */
export function parseTypeString(s: string): Type | undefined {
  const str = s.trim();
  const scalars: Record<string, Type> = {
    string: T.string,
    number: T.number,
    int: T.number,
    double: T.number,
    float: T.number,
    bool: T.bool,
    boolean: T.bool,
    timestamp: T.timestamp,
    duration: T.duration,
    dyn: T.dyn,
    any: T.dyn,
    list: T.list(T.dyn),
    map: T.map(T.dyn),
    object: T.map(T.dyn),
  };
  if (str in scalars) return scalars[str];
  const list = /^list\s*<(.*)>$/.exec(str);
  if (list) {
    const elem = parseTypeString(list[1]!);
    return elem && T.list(elem);
  }
  const map = /^map\s*<\s*string\s*,(.*)>$/.exec(str);
  if (map) {
    const value = parseTypeString(map[1]!);
    return value && T.map(value);
  }
  return undefined;
}
