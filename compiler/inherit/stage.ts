/**
 * Stage `inherit`: resolves `extends` between policy sets and produces the bundle's effective rules.
 *
 * Invariants:
 * - a set is referred to by `metadata.name` or by a path relative to its file (`./common.yaml`);
 * - parents are merged in `extends` order, then the set's own policies: a new id is appended, an
 *   existing id is overridden in place, an entry `{id, enabled: false}` disables;
 * - an inherited `deny` is never weakened: disabling it, changing its type, narrowing its match or
 *   changing (or adding) its condition is an error naming both locations;
 * - rules see the constants of the set that declares them (lexical scope), so a child cannot change
 *   a parent's rule by redefining a constant;
 * - the bundle is the union of the sets no other set extends; cycles are errors.
 */
import { posix } from "node:path";
import type { Diagnostic, Span } from "../../grammar/index.js";
import { M } from "../diagnostics/catalogue.js";
import { error } from "../diagnostics/report.js";
import { listCovers } from "../glob.js";
import type {
  ActionEntry,
  EffectiveRule,
  PolicyNode,
  PolicySetNode,
  ResolvedProgram,
  ValidatedProgram,
} from "../model.js";
import { didYouMean } from "../validate/did-you-mean.js";

export interface InheritResult {
  program: ResolvedProgram;
  diagnostics: Diagnostic[];
}

const at = (s: Span) => `${s.file}:${s.line}:${s.col}`;
const isPathRef = (ref: string) =>
  ref.startsWith("./") || ref.startsWith("../") || /\.ya?ml$/.test(ref);
const normalizeWhen = (p: PolicyNode) => p.when?.text.replace(/\s+/g, " ").trim();

export function inherit(input: ValidatedProgram): InheritResult {
  const diagnostics: Diagnostic[] = [];
  const byName = new Map(input.sets.map((s) => [s.name, s]));
  const parents = new Map<PolicySetNode, PolicySetNode[]>();
  for (const set of input.sets) {
    const ps: PolicySetNode[] = [];
    for (const { ref, span } of set.extends) {
      let target: PolicySetNode | undefined;
      if (isPathRef(ref)) {
        const file = posix.normalize(posix.join(posix.dirname(set.file), ref));
        const inFile = input.sets.filter((s) => s.file === file);
        if (inFile.length > 1) {
          diagnostics.push(error(M.ambiguousExtendsPath(ref, inFile.length), span));
          continue;
        }
        target = inFile[0];
      } else target = byName.get(ref);
      if (!target) {
        diagnostics.push(error(M.unknownExtends(ref, didYouMean(ref, byName.keys())), span));
        continue;
      }
      ps.push(target);
    }
    parents.set(set, ps);
  }
  const cyclic = findCycles(input.sets, parents, diagnostics);

  const effective = new Map<PolicySetNode, Map<string, EffectiveRule>>();
  const constants = new Map<PolicySetNode, Record<string, unknown>>();
  const catalogues = new Map<PolicySetNode, ActionEntry[]>();
  const constantsOf = (set: PolicySetNode): Record<string, unknown> => {
    let c = constants.get(set);
    if (c) return c;
    c = Object.create(null) as Record<string, unknown>;
    for (const p of cyclic.has(set) ? [] : (parents.get(set) ?? []))
      Object.assign(c, constantsOf(p));
    for (const [k, v] of Object.entries(set.constants)) c[k] = v;
    constants.set(set, c);
    return c;
  };
  const catalogueOf = (set: PolicySetNode): ActionEntry[] => {
    let c = catalogues.get(set);
    if (c) return c;
    c = [];
    for (const p of cyclic.has(set) ? [] : (parents.get(set) ?? [])) c.push(...catalogueOf(p));
    c.push(...set.actions);
    catalogues.set(set, c);
    return c;
  };
  const rulesOf = (set: PolicySetNode): Map<string, EffectiveRule> => {
    const done = effective.get(set);
    if (done) return done;
    const rules = new Map<string, EffectiveRule>();
    effective.set(set, rules);
    for (const parent of cyclic.has(set) ? [] : (parents.get(set) ?? [])) {
      for (const [id, rule] of rulesOf(parent)) rules.set(id, rule);
    }
    for (const p of set.policies) {
      const inherited = rules.get(p.id);
      if (inherited && inherited.set !== set.name) checkNotWeakened(inherited, p, diagnostics);
      if (p.type === undefined) {
        if (!inherited) diagnostics.push(error(M.disableUnknown(p.id), p.span));
        else rules.set(p.id, { ...inherited, enabled: false });
        continue;
      }
      rules.set(p.id, {
        ...p,
        type: p.type,
        constants: constantsOf(set),
        catalogue: catalogueOf(set),
      });
    }
    return rules;
  };

  const extended = new Set<PolicySetNode>();
  for (const ps of parents.values()) for (const p of ps) extended.add(p);
  const roots = input.sets.filter((s) => !extended.has(s) || cyclic.has(s));
  const merged = new Map<string, EffectiveRule>();
  for (const root of roots) {
    for (const [id, rule] of rulesOf(root)) {
      const other = merged.get(id);
      if (other && other !== rule && !sameDefinition(other, rule)) {
        diagnostics.push(error(M.conflictingDefinitions(id, at(other.span)), rule.span));
        continue;
      }
      if (!other) merged.set(id, rule);
    }
  }
  const setConstants = new Map<string, Record<string, unknown>>();
  for (const s of input.sets) setConstants.set(s.name, constantsOf(s));

  const schemaExtension: Record<string, Record<string, string>> = {};
  for (const set of input.sets) {
    for (const [top, fields] of Object.entries(set.schema)) {
      schemaExtension[top] = { ...(schemaExtension[top] ?? {}), ...fields };
    }
  }
  const defaults = resolveDefaults(roots, parents, diagnostics);
  return {
    program: {
      ...input,
      rules: [...merged.values()].filter((r) => r.enabled),
      schemaExtension,
      defaults,
      roots,
      setConstants,
    },
    diagnostics,
  };
}

function sameDefinition(a: EffectiveRule, b: EffectiveRule): boolean {
  return (
    a.file === b.file &&
    a.span.line === b.span.line &&
    a.span.col === b.span.col &&
    a.enabled === b.enabled
  );
}

function checkNotWeakened(
  parent: EffectiveRule,
  child: PolicyNode,
  diagnostics: Diagnostic[],
): void {
  if (parent.type !== "deny" || !parent.enabled) return;
  let how: string | undefined;
  if (!child.enabled) how = "it disables it";
  else if (child.type !== undefined && child.type !== "deny")
    how = `it changes its type to \`${child.type}\``;
  else if (
    !listCovers(child.match.actions, parent.match.actions) ||
    !listCovers(child.match.agents, parent.match.agents) ||
    !listCovers(child.match.roles, parent.match.roles) ||
    !listCovers(child.match.workflows, parent.match.workflows) ||
    (child.match.phase !== "any" && child.match.phase !== parent.match.phase)
  ) {
    how = "it narrows its `match`";
  } else if (child.when !== undefined && normalizeWhen(child) !== normalizeWhen(parent)) {
    how = parent.when === undefined ? "it adds a condition" : "it changes its condition";
  }
  if (how !== undefined) {
    diagnostics.push(error(M.weakenedDeny(child.id, how, at(parent.span), parent.set), child.span));
  }
}

/** Reports each cycle once (at the `extends` entry that closes it); returns the sets on cycles. */
function findCycles(
  sets: readonly PolicySetNode[],
  parents: Map<PolicySetNode, PolicySetNode[]>,
  diagnostics: Diagnostic[],
): Set<PolicySetNode> {
  const onCycle = new Set<PolicySetNode>();
  const state = new Map<PolicySetNode, "open" | "done">();
  const stack: PolicySetNode[] = [];
  const reported = new Set<string>();
  const visit = (s: PolicySetNode) => {
    state.set(s, "open");
    stack.push(s);
    (parents.get(s) ?? []).forEach((p) => {
      if (state.get(p) === "open") {
        const cycle = stack.slice(stack.indexOf(p));
        for (const c of cycle) onCycle.add(c);
        const key = cycle
          .map((c) => c.name)
          .sort()
          .join("\u0000");
        if (!reported.has(key)) {
          reported.add(key);
          const span =
            s.extends.find((e) => e.ref === p.name || e.ref.endsWith(posix.basename(p.file)))
              ?.span ?? s.span;
          diagnostics.push(error(M.extendsCycle([...cycle.map((c) => c.name), p.name]), span));
        }
      } else if (!state.has(p)) visit(p);
    });
    stack.pop();
    state.set(s, "done");
  };
  for (const s of sets) if (!state.has(s)) visit(s);
  return onCycle;
}

function resolveDefaults(
  roots: PolicySetNode[],
  parents: Map<PolicySetNode, PolicySetNode[]>,
  diagnostics: Diagnostic[],
): ResolvedProgram["defaults"] {
  const fallback = { decision: "deny" as const, reason: "no policy allows this action" };
  const own = (s: PolicySetNode, seen = new Set<PolicySetNode>()): PolicySetNode["defaults"] => {
    if (s.defaults || seen.has(s)) return s.defaults;
    seen.add(s);
    for (const p of parents.get(s) ?? []) {
      const d = own(p, seen);
      if (d) return d;
    }
    return undefined;
  };
  let chosen: { set: PolicySetNode; d: NonNullable<PolicySetNode["defaults"]> } | undefined;
  for (const r of roots) {
    const d = own(r);
    if (!d) continue;
    if (chosen && JSON.stringify(chosen.d) !== JSON.stringify(d)) {
      diagnostics.push(error(M.conflictingDefaults(chosen.set.name, r.name), r.nameSpan));
    } else if (!chosen) chosen = { set: r, d };
  }
  return chosen
    ? { ...fallback, ...chosen.d, reason: chosen.d.reason ?? fallback.reason }
    : fallback;
}
