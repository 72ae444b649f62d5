/**
 * Redaction paths: `args.password`, `args.card.number`, `args.items[*].email`, `result.rows[0].ssn`,
 * `args.*.token`. Segments are separated by dots; `[*]` and `*` match every element or key, `[n]`
 * one array index. A leading `args` / `result` names the value the path applies to.
 */
export type PathSegment = { key: string } | { index: number } | { any: true };

export interface RedactionPath {
  root: "args" | "result" | undefined;
  segments: PathSegment[];
}

const SEGMENT = /^([^.[\]]*)((?:\[(?:\*|\d+)\])*)$/;

/** Parses a path; returns undefined for a malformed one (the caller fails closed). */
export function parsePath(path: string): RedactionPath | undefined {
  if (path.length === 0) return undefined;
  const segments: PathSegment[] = [];
  for (const part of path.split(".")) {
    const m = SEGMENT.exec(part);
    if (m === null) return undefined;
    const [, name = "", brackets = ""] = m;
    if (name === "" && brackets === "") return undefined;
    if (name === "*") segments.push({ any: true });
    else if (name !== "") segments.push({ key: name });
    for (const b of brackets.match(/\[(\*|\d+)\]/g) ?? []) {
      const inner = b.slice(1, -1);
      segments.push(inner === "*" ? { any: true } : { index: Number(inner) });
    }
  }
  const first = segments[0];
  if (first !== undefined && "key" in first && (first.key === "args" || first.key === "result")) {
    return { root: first.key, segments: segments.slice(1) };
  }
  return { root: undefined, segments };
}

const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] =>
  typeof v === "object" && v !== null;

/**
 * Replaces, in place, every value `path` reaches under `target` by `replace(value, where)`.
 * `where` is the concrete location (`card.number`, `items[2].email`).
 */
export function applyPath(
  target: unknown,
  segments: readonly PathSegment[],
  replace: (old: unknown, where: string) => unknown,
  where = "",
): void {
  const [head, ...rest] = segments;
  if (head === undefined || !isContainer(target)) return;
  const keys: (string | number)[] = [];
  if ("any" in head) {
    if (Array.isArray(target)) for (let i = 0; i < target.length; i++) keys.push(i);
    else keys.push(...Object.keys(target));
  } else if ("index" in head) {
    if (Array.isArray(target) && head.index < target.length) keys.push(head.index);
  } else if (!Array.isArray(target) && Object.hasOwn(target, head.key)) {
    keys.push(head.key);
  }
  for (const k of keys) {
    const at = typeof k === "number" ? `${where}[${k}]` : where === "" ? k : `${where}.${k}`;
    const container = target as Record<string | number, unknown>;
    if (rest.length === 0) container[k] = replace(container[k], at);
    else applyPath(container[k], rest, replace, at);
  }
}
