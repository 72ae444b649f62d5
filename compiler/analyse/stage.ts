/**
 * Stage `analyse`: warnings (errors with `--strict`) about rules that cannot do what their author
 * meant: shadowed rules, rules that can never match (contradictory numeric bounds, an action
 * pattern matching nothing in a declared catalogue), allow and deny on the same match, unused
 * constants.
 */
import type { Diagnostic, Span } from "../../grammar/index.js";
import { M } from "../diagnostics/catalogue.js";
import { warning } from "../diagnostics/report.js";
import { evaluationOrder } from "../generate/stage.js";
import { globMatches, listCovers } from "../glob.js";
import type { EffectiveRule } from "../model.js";
import type { TypedProgram } from "../typecheck/stage.js";
import { contradictoryPaths } from "./bounds.js";

const RANK: Record<string, number> = { allow: 0, require_approval: 1, deny: 2 };
const at = (s: Span) => `${s.file}:${s.line}:${s.col}`;

function covers(a: EffectiveRule, b: EffectiveRule): boolean {
  return (
    listCovers(a.match.actions, b.match.actions) &&
    listCovers(a.match.agents, b.match.agents) &&
    listCovers(a.match.roles, b.match.roles) &&
    listCovers(a.match.workflows, b.match.workflows) &&
    (a.match.phase === "any" || a.match.phase === b.match.phase)
  );
}

const matchKey = (r: EffectiveRule) =>
  JSON.stringify(
    (["actions", "agents", "roles", "workflows"] as const)
      .map((k) => (r.match[k] ? [...r.match[k]!].sort() : null))
      .concat([r.match.phase as never]),
  );

export function analyse(program: TypedProgram): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ordered = evaluationOrder(program.typed).map((t) => t.rule);
  const keys = ordered.map(matchKey);
  // only unconditional decisive rules can shadow another rule
  const shadowing = ordered.flatMap((a, i) =>
    RANK[a.type] !== undefined && a.when === undefined ? [i] : [],
  );
  for (let j = 0; j < ordered.length; j++) {
    const b = ordered[j]!;
    if (RANK[b.type] === undefined) continue;
    for (const i of shadowing) {
      const a = ordered[i]!;
      if (i === j) continue;
      const stronger = RANK[a.type]! > RANK[b.type]! || (RANK[a.type] === RANK[b.type] && i < j);
      if (!stronger || !covers(a, b)) continue;
      if (a.type === "deny" && b.type === "allow" && keys[i] === keys[j]) continue; // reported below
      out.push(warning(M.shadowed(b.id, a.id, at(a.span)), b.span));
      break;
    }
  }
  const denies = new Map<string, EffectiveRule[]>();
  ordered.forEach((d, i) => {
    if (d.type === "deny") denies.set(keys[i]!, [...(denies.get(keys[i]!) ?? []), d]);
  });
  ordered.forEach((a, i) => {
    if (a.type !== "allow") return;
    for (const d of denies.get(keys[i]!) ?? [])
      out.push(warning(M.allowDenySameMatch(a.id, d.id, at(d.span)), a.span));
  });
  for (const t of program.typed) {
    const r = t.rule;
    if (t.when)
      for (const p of contradictoryPaths(t.when))
        out.push(warning(M.contradictoryBounds(p), r.when!.span));
    if (r.catalogue.length > 0) {
      (r.match.actions ?? []).forEach((p, k) => {
        if (!r.catalogue.some((a) => globMatches(p, a.name) || globMatches(a.name, p))) {
          out.push(warning(M.globMatchesNothing(p), r.locate(["match", "actions", k])));
        }
      });
    }
  }
  const used = new Set(program.typed.flatMap((t) => t.usedConstants));
  for (const set of program.sets) {
    for (const name of Object.keys(set.constants)) {
      if (!used.has(name)) out.push(warning(M.unusedConstant(name), set.constantSpans[name]!));
    }
  }
  return out;
}
