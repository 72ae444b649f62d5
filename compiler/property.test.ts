import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { globMatches } from "./glob.js";
import { compileBundle, SET } from "./test-support.js";

/** A tiny random policy language: allow/deny/require_approval over actions, roles and `args.n`. */
interface Rule {
  type: "allow" | "deny" | "require_approval";
  actions: string[];
  roles?: string[];
  gt?: number;
  priority: number;
}
const ACTIONS = ["fs.read", "fs.write", "db.read", "db.drop", "mail.send"];
const PATTERNS = [...ACTIONS, "fs.*", "db.*", "*.read", "*", "m?il.send"];
const ROLES = ["dev", "ops", "admin"];

const rule = fc.record({
  type: fc.constantFrom("allow" as const, "deny" as const, "require_approval" as const),
  actions: fc.uniqueArray(fc.constantFrom(...PATTERNS), { minLength: 1, maxLength: 3 }),
  roles: fc.option(fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 2 }), {
    nil: undefined,
  }),
  gt: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  priority: fc.integer({ min: 0, max: 3 }),
});
const input = fc.record({
  action: fc.constantFrom(...ACTIONS, "other.tool"),
  roles: fc.uniqueArray(fc.constantFrom(...ROLES), { maxLength: 2 }),
  n: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
});

function yaml(rules: Rule[]): string {
  const lines = rules.map((r, i) => {
    const match = [`actions: ${JSON.stringify(r.actions)}`];
    if (r.roles) match.push(`roles: ${JSON.stringify(r.roles)}`);
    const when = r.gt === undefined ? "" : `, when: "args.n > ${r.gt}"`;
    return `  - { id: r${i}, type: ${r.type}, priority: ${r.priority}, match: { ${match.join(", ")} }${when} }`;
  });
  return `${SET("p")}policies:\n${lines.join("\n")}\n`;
}

/** Reference semantics written from docs/policy-format.md, independent of the generated code. */
function reference(rules: Rule[], i: { action: string; roles: string[]; n?: number }) {
  const hits = { allow: false, deny: false, require_approval: false };
  for (const r of rules) {
    if (!r.actions.some((p) => globMatches(p, i.action))) continue;
    if (r.roles && !r.roles.some((x) => i.roles.includes(x))) continue;
    if (r.gt !== undefined) {
      if (i.n === undefined) {
        if (r.type !== "allow") hits[r.type] = true; // error ⇒ fail closed
        continue;
      }
      if (!(i.n > r.gt)) continue;
    }
    hits[r.type] = true;
  }
  if (hits.deny) return "deny";
  if (hits.require_approval) return "require_approval";
  return hits.allow ? "allow" : "deny";
}

describe("compiled decide agrees with the reference semantics", () => {
  test("random policy sets and inputs", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rule, { minLength: 1, maxLength: 8 }),
        fc.array(input, { minLength: 1, maxLength: 15 }),
        async (rules, inputs) => {
          const { bundle } = await compileBundle({ "p.yaml": yaml(rules) });
          for (const i of inputs) {
            const d = bundle.decide({
              agent: { id: "a", roles: i.roles },
              action: { name: i.action },
              args: i.n === undefined ? {} : { n: i.n },
            });
            expect(d.decision).toBe(reference(rules, i));
            // deny always beats allow: any matched deny ⇒ deny
            if (d.matched.some((m) => m.type === "deny")) expect(d.decision).toBe("deny");
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
