import { parseTypeString, T, type Type } from "./types.js";

/** The decision-input schema conditions are checked against: a closed object of top-level keys. */
export type ContextSchema = Extract<Type, { kind: "object" }>;

const obj = (name: string, fields: Record<string, Type>, open = false): Type => ({
  kind: "object",
  name,
  fields,
  open,
});

/**
 * The decision input of ARCHITECTURE.md: `agent` is open (free attributes are `dyn`), `args` and
 * `resource` are maps of `dyn`, `time` is an RFC 3339 string typed as a timestamp.
 */
export const defaultContextSchema: ContextSchema = {
  kind: "object",
  name: "context",
  open: false,
  fields: {
    agent: obj(
      "agent",
      { id: T.string, roles: T.list(T.string), trust_level: T.number, owner: T.string },
      true,
    ),
    action: obj("action", { name: T.string, kind: T.string, phase: T.string }),
    args: T.map(T.dyn),
    workflow: obj("workflow", { id: T.string, step: T.string }),
    session: obj("session", { id: T.string }),
    resource: T.map(T.dyn),
    time: T.timestamp,
    justification: T.string,
    history: obj("history", {
      calls: T.number,
      denials: T.number,
      errors: T.number,
      rate: T.number,
      anomaly: T.number,
    }),
    risk: obj("risk", { score: T.number, level: T.string, factors: T.map(T.number) }),
  },
};

/** Error thrown by `extendSchema` for an unknown type string. */
export class SchemaError extends Error {
  constructor(
    readonly path: string,
    readonly typeText: string,
  ) {
    super(`unknown type \`${typeText}\` for \`${path}\``);
    this.name = "SchemaError";
  }
}

/**
 * Extends a schema with a policy file's `schema:` section, e.g. `{agent: {department: "string"}}`.
 * A map-typed key (`args`, `resource`) becomes an open object with the declared fields; a new
 * top-level key becomes a closed object. Throws `SchemaError` on an unknown type string.
 */
export function extendSchema(
  base: ContextSchema,
  ext: Record<string, Record<string, string>>,
): ContextSchema {
  const fields: Record<string, Type> = { ...base.fields };
  for (const key of Object.keys(ext).sort()) {
    const add: Record<string, Type> = {};
    for (const [f, text] of Object.entries(ext[key] ?? {})) {
      const t = parseTypeString(String(text));
      if (!t) throw new SchemaError(`${key}.${f}`, String(text));
      add[f] = t;
    }
    const prev = fields[key];
    if (prev?.kind === "object") {
      fields[key] = { ...prev, fields: { ...prev.fields, ...add } };
    } else if (prev?.kind === "map") {
      fields[key] = { kind: "object", name: key, fields: add, open: true };
    } else {
      fields[key] = { kind: "object", name: key, fields: add, open: false };
    }
  }
  return { ...base, fields };
}
