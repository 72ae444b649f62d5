import type { BuiltinGroup } from "./builtin.js";

/**
 * The comprehension macros `exists`, `all`, `exists_one`, `filter`, `map` bind a variable and are
 * compiled by the checker and code generator (they need scopes); this group holds their runtime
 * helper and their names, so they appear in the registry and in "did you mean" suggestions.
 */
export const macroNames = ["has", "exists", "all", "exists_one", "filter", "map"] as const;

export const listBuiltins: BuiltinGroup = {
  name: "lists/macros",
  builtins: [],
  prelude: `function $pg_iter(v) {
  if (Array.isArray(v)) return v;
  if (typeof v === "object" && v !== null) return Object.keys(v);
  throw $pg_typeError("list or map", v);
}
`,
};
