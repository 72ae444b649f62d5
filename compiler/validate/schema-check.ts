/**
 * Checks a YAML node against schema/policy.schema.json, the published JSON Schema (2020-12), so the
 * schema editors use and the compiler's checks cannot drift apart. Interprets the keywords that
 * file uses (`$ref` to `#/$defs`, `type`, `const`, `enum`, `properties`, `required`,
 * `additionalProperties`, `propertyNames`, `items`, `pattern`, `minLength`, `minimum`, `maximum`)
 * and walks the YAML nodes themselves, so each diagnostic points at the offending node. Rejected:
 * ajv (its errors carry JSON pointers and generic texts that we would have to map back to nodes and
 * reword anyway).
 */

import { isMap, isScalar, isSeq, type Node } from "yaml";
import type { Diagnostic } from "../../grammar/index.js";
import { M } from "../diagnostics/catalogue.js";
import { error } from "../diagnostics/report.js";
import { didYouMean } from "./did-you-mean.js";
import { schema as rootSchema } from "./schema-file.js";

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
};

type Path = (string | number)[];

export interface CheckContext {
  /** Span of the node at a path; `key: true` for the key of a mapping entry. */
  spanOf: (
    node: Node | null | undefined,
    keyOf?: Node | null,
  ) => import("../../grammar/index.js").Span;
  diagnostics: Diagnostic[];
}

/** Renders a path as `policies[2].match.actions[0]` for messages. */
export function renderPath(path: Path): string {
  let out = "";
  for (const seg of path)
    out += typeof seg === "number" ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  return `\`${out || "document"}\``;
}

export function defSchema(name: string): JsonSchema {
  const defs = (rootSchema as { $defs: Record<string, JsonSchema> }).$defs;
  const s = defs[name];
  if (!s) throw new Error(`schema has no $defs/${name}`);
  return s;
}

const patternCache = new Map<string, RegExp>();
const regex = (p: string): RegExp => {
  let r = patternCache.get(p);
  if (!r) {
    r = new RegExp(p, "u");
    patternCache.set(p, r);
  }
  return r;
};

function kindOf(node: Node | null | undefined): string {
  if (node === null || node === undefined) return "null";
  if (isMap(node)) return "object";
  if (isSeq(node)) return "array";
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return "null";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    if (typeof v === "boolean") return "boolean";
    return "string";
  }
  return "alias";
}

const article: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "a boolean (`true` or `false`)",
  null: "null",
};
const found: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  integer: "a number",
  number: "a number",
  boolean: "a boolean",
  null: "nothing",
  alias: "an alias",
};

function typeMatches(actual: string, expected: string): boolean {
  return actual === expected || (expected === "number" && actual === "integer");
}

/** Checks `node` against `schema`; returns false if a diagnostic was added. */
export function check(
  node: Node | null | undefined,
  schema: JsonSchema,
  path: Path,
  ctx: CheckContext,
  refName?: string,
): boolean {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace("#/$defs/", "");
    return check(node, { ...defSchema(name), ...withoutRef(schema) }, path, ctx, name);
  }
  const where = renderPath(path);
  const actual = kindOf(node);
  const span = ctx.spanOf(node);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(actual, t))) {
      ctx.diagnostics.push(
        error(
          M.wrongType(
            where,
            types.map((t) => article[t] ?? t).join(" or "),
            found[actual] ?? actual,
          ),
          span,
        ),
      );
      return false;
    }
  }
  const value = isScalar(node) ? node.value : undefined;
  if (schema.const !== undefined && value !== schema.const) {
    ctx.diagnostics.push(error(M.badEnum(where, value ?? found[actual], [schema.const]), span));
    return false;
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    const s = typeof value === "string" ? didYouMean(value, schema.enum.map(String)) : undefined;
    ctx.diagnostics.push(error(M.badEnum(where, value ?? found[actual], schema.enum, s), span));
    return false;
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      ctx.diagnostics.push(error(M.emptyString(where), span));
      return false;
    }
    if (schema.pattern !== undefined && !regex(schema.pattern).test(value)) {
      ctx.diagnostics.push(error(patternMessage(refName, where, value), span));
      return false;
    }
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) {
      ctx.diagnostics.push(error(M.outOfRange(where, `at least ${schema.minimum}`), span));
      return false;
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      ctx.diagnostics.push(error(M.outOfRange(where, `at most ${schema.maximum}`), span));
      return false;
    }
  }
  let ok = true;
  if (isSeq(node) && schema.items !== undefined) {
    node.items.forEach((item, i) => {
      ok = check(item as Node, schema.items!, [...path, i], ctx) && ok;
    });
  }
  if (isMap(node)) {
    const props = schema.properties ?? {};
    const seen = new Set<string>();
    for (const pair of node.items) {
      const keyNode = pair.key as Node;
      const key = isScalar(keyNode) ? String(keyNode.value) : "";
      seen.add(key);
      const sub = props[key];
      if (sub !== undefined) {
        ok = check(pair.value as Node, sub, [...path, key], ctx) && ok;
        continue;
      }
      if (
        schema.propertyNames?.pattern !== undefined &&
        !regex(schema.propertyNames.pattern).test(key)
      ) {
        ctx.diagnostics.push(
          error(M.badPattern(`name in ${where}`, key, "a valid identifier"), ctx.spanOf(keyNode)),
        );
        ok = false;
        continue;
      }
      const extra = schema.additionalProperties;
      if (extra === false) {
        const s = didYouMean(key, Object.keys(props));
        ctx.diagnostics.push(error(M.unknownField(key, where, s), ctx.spanOf(keyNode)));
        ok = false;
      } else if (typeof extra === "object") {
        ok = check(pair.value as Node, extra, [...path, key], ctx) && ok;
      }
    }
    for (const req of schema.required ?? []) {
      if (!seen.has(req)) {
        ctx.diagnostics.push(error(M.missingField(req, where), span));
        ok = false;
      }
    }
  }
  return ok;
}

function withoutRef(s: JsonSchema): JsonSchema {
  const { $ref: _ignored, ...rest } = s;
  return rest;
}

function patternMessage(refName: string | undefined, where: string, value: string) {
  if (refName === "Duration") return M.badDuration(value);
  if (refName === "Glob") return M.badGlob(value, "unexpected character");
  if (refName === "Name")
    return M.badPattern(where, value, "a valid name (lowercase letters, digits, `-`, `_`, `.`)");
  if (where.endsWith(".hours`")) return M.badHours(value);
  return M.badPattern(where, value, "well formed");
}
