/**
 * Fixture resolution for test cases: named agents, resources, args, workflows, sessions and whole
 * partial inputs, referenced from a case by name (`agent: support_bot`) or with overrides
 * (`agent: {$use: support_bot, trust_level: 4}`, `input: {$use: [base], action: db.delete}`).
 */

/** Input sections whose value may be a fixture reference, and their fixture category. */
export const fixtureSections = {
  agent: "agents",
  resource: "resources",
  args: "args",
  workflow: "workflows",
  session: "sessions",
  history: "histories",
} as const;

export const fixtureCategories = [
  "agents",
  "resources",
  "args",
  "workflows",
  "sessions",
  "histories",
  "inputs",
] as const;

export type FixtureCategory = (typeof fixtureCategories)[number];
export type Fixtures = Partial<Record<FixtureCategory, Record<string, Record<string, unknown>>>>;

/** A resolution failure: which name, in which category, and why. */
export interface FixtureError {
  kind: "unknown" | "cycle";
  name: string;
  category: FixtureCategory;
}

export type Plain = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Plain {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Deep merge where `over` wins; objects merge key by key, everything else (lists included) is
 * replaced. Keys are defined as own data properties so `__proto__` stays data.
 */
export function deepMerge(base: Plain, over: Plain): Plain {
  const out: Plain = {};
  for (const [k, v] of Object.entries(base)) define(out, k, v);
  for (const [k, v] of Object.entries(over)) {
    const prev = Object.hasOwn(out, k) ? out[k] : undefined;
    define(out, k, isPlainObject(prev) && isPlainObject(v) ? deepMerge(prev, v) : v);
  }
  return out;
}

function define(o: Plain, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Names listed under `$use` (a string or a list of strings). */
export function useNames(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/**
 * Expands one value of a category: a string names a fixture; an object may carry `$use`
 * (applied first, in order) and overrides. Fixtures may themselves use others (cycles reported).
 */
export function expandFixture(
  value: unknown,
  category: FixtureCategory,
  fixtures: Fixtures,
  errors: FixtureError[],
  stack: string[] = [],
): unknown {
  if (typeof value === "string") return lookup(value, category, fixtures, errors, stack);
  if (!isPlainObject(value) || !Object.hasOwn(value, "$use")) return value;
  let merged: Plain = {};
  for (const name of useNames(value.$use)) {
    const base = lookup(name, category, fixtures, errors, stack);
    if (isPlainObject(base)) merged = deepMerge(merged, base);
  }
  const own: Plain = {};
  for (const [k, v] of Object.entries(value)) if (k !== "$use") define(own, k, v);
  return deepMerge(merged, own);
}

function lookup(
  name: string,
  category: FixtureCategory,
  fixtures: Fixtures,
  errors: FixtureError[],
  stack: string[],
): unknown {
  const table = fixtures[category];
  if (!table || !Object.hasOwn(table, name)) {
    errors.push({ kind: "unknown", name, category });
    return undefined;
  }
  const key = `${category}.${name}`;
  if (stack.includes(key)) {
    errors.push({ kind: "cycle", name, category });
    return undefined;
  }
  return expandFixture(table[name], category, fixtures, errors, [...stack, key]);
}

/**
 * Resolves a case's `input`: top-level `$use` (fixtures.inputs) first, then each section's
 * references, then the `action: name` shorthand.
 */
export function resolveInput(raw: Plain, fixtures: Fixtures, errors: FixtureError[]): Plain {
  let input = expandFixture(raw, "inputs", fixtures, errors) as Plain;
  if (!isPlainObject(input)) input = {};
  const out: Plain = {};
  for (const [key, value] of Object.entries(input)) {
    const category = (fixtureSections as Record<string, FixtureCategory | undefined>)[key];
    if (category !== undefined && Object.hasOwn(fixtureSections, key)) {
      define(out, key, expandFixture(value, category, fixtures, errors));
    } else if (key === "action" && typeof value === "string") {
      define(out, key, { name: value });
    } else {
      define(out, key, value);
    }
  }
  return out;
}
