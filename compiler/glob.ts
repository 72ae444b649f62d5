/**
 * Name globs used in `match:` (actions, agents, roles, workflows): `*` matches any run of
 * characters (dots included), `?` exactly one; everything else is literal. The same conversion is
 * inlined in the bundle's runtime prelude (generate/runtime-prelude.ts) — keep them in step.
 */

export const isGlob = (p: string): boolean => p.includes("*") || p.includes("?");

const cache = new Map<string, RegExp>();

/** The anchored RegExp of a glob (memoised: analysis and indexing test the same globs often). */
export function globToRegExp(p: string): RegExp {
  const hit = cache.get(p);
  if (hit) return hit;
  let src = "^";
  for (const ch of p) {
    if (ch === "*") src += ".*";
    else if (ch === "?") src += ".";
    else src += ch.replace(/[\\^$.|+()[\]{}*?/]/g, "\\$&");
  }
  const re = new RegExp(`${src}$`, "su");
  if (cache.size > 10_000) cache.clear();
  cache.set(p, re);
  return re;
}

export const globMatches = (pattern: string, name: string): boolean =>
  pattern === "*" || (isGlob(pattern) ? globToRegExp(pattern).test(name) : pattern === name);

/**
 * Whether every name matched by `b` is matched by `a` (conservative: may answer false when it is
 * true, never true when it is false).
 */
export function globCovers(a: string, b: string): boolean {
  if (a === "*" || a === b) return true;
  if (!isGlob(b)) return globMatches(a, b);
  const star = a.indexOf("*");
  if (star === a.length - 1 && !a.slice(0, -1).includes("?")) return b.startsWith(a.slice(0, -1));
  return false;
}

/**
 * Whether pattern list `a` covers list `b` (absent = everything). Used for shadowing and for "a
 * child narrows an inherited deny".
 */
export function listCovers(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
): boolean {
  if (a === undefined || a.includes("*")) return true;
  if (b === undefined) return false;
  return b.every((pb) => a.some((pa) => globCovers(pa, pb)));
}
