/**
 * A small typed reader over the parsed YAML that collects one message per bad field, each naming
 * the field's dotted path (Cedar's style: lowercase, no final period, user input in backticks).
 */
import { parseDuration, parseSize } from "./units.js";

export type Obj = Record<string, unknown>;

export class FieldReader {
  readonly errors: string[] = [];

  fail(path: string, message: string): void {
    this.errors.push(`\`${path}\`: ${message}`);
  }

  obj(parent: Obj, key: string, path: string): Obj {
    const v = parent[key];
    if (v === undefined || v === null) return {};
    if (typeof v !== "object" || Array.isArray(v)) {
      this.fail(path, `must be a mapping, got ${show(v)}`);
      return {};
    }
    return v as Obj;
  }

  /** Reports keys of `o` that are not in `known` (typos fail at start rather than being ignored). */
  known(o: Obj, path: string, known: string[]): void {
    for (const k of Object.keys(o)) {
      if (!known.includes(k)) {
        const hint = closest(k, known);
        this.fail(
          path ? `${path}.${k}` : k,
          `unknown field${hint ? `, did you mean \`${hint}\`?` : ""}`,
        );
      }
    }
  }

  str(o: Obj, key: string, path: string, def: string): string;
  str(o: Obj, key: string, path: string, def?: string): string | undefined;
  str(o: Obj, key: string, path: string, def?: string): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return def;
    if (typeof v !== "string" || v === "") {
      this.fail(path, `must be a non-empty string, got ${show(v)}`);
      return def;
    }
    return v;
  }

  bool(o: Obj, key: string, path: string, def: boolean): boolean {
    const v = o[key];
    if (v === undefined || v === null) return def;
    if (typeof v !== "boolean") {
      this.fail(path, `must be true or false, got ${show(v)}`);
      return def;
    }
    return v;
  }

  int(o: Obj, key: string, path: string, def: number, min: number, max: number): number {
    const v = o[key];
    if (v === undefined || v === null) return def;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      this.fail(path, `must be an integer between ${min} and ${max}, got ${show(v)}`);
      return def;
    }
    return v;
  }

  duration(o: Obj, key: string, path: string, def: number): number {
    const v = o[key];
    if (v === undefined || v === null) return def;
    const ms = parseDuration(v);
    if (ms === undefined) {
      this.fail(path, `must be a duration like \`500ms\`, \`30s\`, \`5m\`, got ${show(v)}`);
      return def;
    }
    return ms;
  }

  size(o: Obj, key: string, path: string, def: number): number {
    const v = o[key];
    if (v === undefined || v === null) return def;
    const n = parseSize(v);
    if (n === undefined) {
      this.fail(path, `must be a size like \`64kb\` or \`1mb\`, got ${show(v)}`);
      return def;
    }
    return n;
  }

  oneOf<T extends string>(o: Obj, key: string, path: string, allowed: readonly T[], def: T): T {
    const v = o[key];
    if (v === undefined || v === null) return def;
    if (typeof v !== "string" || !allowed.includes(v as T)) {
      this.fail(
        path,
        `must be one of ${allowed.map((a) => `\`${a}\``).join(", ")}, got ${show(v)}`,
      );
      return def;
    }
    return v as T;
  }

  strList(o: Obj, key: string, path: string, def: string[]): string[] {
    const v = o[key];
    if (v === undefined || v === null) return def;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      this.fail(path, `must be a list of strings, got ${show(v)}`);
      return def;
    }
    return v as string[];
  }

  list(o: Obj, key: string, path: string): Obj[] {
    const v = o[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.fail(path, `must be a list, got ${show(v)}`);
      return [];
    }
    return v.filter((x, i) => {
      if (x && typeof x === "object" && !Array.isArray(x)) return true;
      this.fail(`${path}[${i}]`, `must be a mapping, got ${show(x)}`);
      return false;
    }) as Obj[];
  }
}

/** Renders a user value for a message: short, in backticks. */
export function show(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return `\`${s !== undefined && s.length > 60 ? `${s.slice(0, 57)}...` : s}\``;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
