/**
 * Method + path patterns → action names. Patterns are literal segments, `:param` segments and a
 * final `*` (rest of the path). Compiled once; the first matching route wins.
 */
import type { HttpRoute } from "../config/types.js";

export interface RouteMatch {
  route: HttpRoute;
  params: Record<string, string>;
}

export class RouteTable {
  readonly #routes: { route: HttpRoute; re: RegExp; names: string[] }[];

  constructor(routes: HttpRoute[]) {
    this.#routes = routes.map((route) => {
      const names: string[] = [];
      const src = route.path
        .split("/")
        .map((seg) => {
          if (seg === "*") {
            names.push("*");
            return "(.*)";
          }
          if (seg.startsWith(":")) {
            names.push(seg.slice(1));
            return "([^/]+)";
          }
          return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("/");
      return { route, re: new RegExp(`^${src}$`), names };
    });
  }

  match(method: string, path: string): RouteMatch | undefined {
    for (const { route, re, names } of this.#routes) {
      if (route.method !== "*" && route.method !== method) continue;
      const m = re.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      names.forEach((n, i) => {
        params[n] = safeDecode(m[i + 1] ?? "");
      });
      return { route, params };
    }
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Kind of an action from `routes.kinds` (exact names or `*` globs, first match wins). */
export function kindResolver(
  kinds: { pattern: string; kind: string }[],
): (name: string) => string | undefined {
  const compiled = kinds.map(({ pattern, kind }) => ({
    kind,
    re: new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`),
  }));
  return (name) => compiled.find((k) => k.re.test(name))?.kind;
}
