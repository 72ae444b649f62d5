import { T } from "../types.js";
import type { BuiltinGroup } from "./builtin.js";

/** `size(x)` / `x.size()`. `has(a.b)` is a macro handled by the checker and code generator. */
export const hasSizeBuiltins: BuiltinGroup = {
  name: "has/size",
  builtins: [
    {
      name: "size",
      summary:
        "`size(x)` or `x.size()`: length of a string (in code points), a list, or the number of keys of a map",
      overloads: [
        { params: [T.string], result: T.number, helper: "$pg_size" },
        { params: [T.list(T.dyn)], result: T.number, helper: "$pg_size" },
        { params: [T.map(T.dyn)], result: T.number, helper: "$pg_size", dynamic: true },
        { receiver: T.string, params: [], result: T.number, helper: "$pg_size" },
        { receiver: T.list(T.dyn), params: [], result: T.number, helper: "$pg_size" },
        { receiver: T.map(T.dyn), params: [], result: T.number, helper: "$pg_size", dynamic: true },
      ],
    },
  ],
  prelude: `function $pg_size(v) {
  if (typeof v === "string") {
    let n = v.length;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < v.length) {
        const d = v.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          n--;
          i++;
        }
      }
    }
    return n;
  }
  if (Array.isArray(v)) return v.length;
  if (typeof v === "object" && v !== null) return Object.keys(v).length;
  throw $pg_typeError("string, list or map", v);
}
`,
};
