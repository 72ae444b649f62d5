/**
 * Validation of a case's `expect:` block (see `Expectation` in suite.ts for the meaning of each
 * field). Every wrong field is reported with its position; the result is undefined on any error.
 */
import { type Document, isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import type { DecisionEffect } from "../../runtime/decision/types.js";
import type { LoadContext } from "./load-suite.js";
import { testMessages } from "./messages.js";
import { decisionEffects, type Expectation, riskLevels } from "./suite.js";
import { describeNode, toPlain } from "./yaml-source.js";

const expectFields = [
  "decision",
  "matched",
  "matched_exactly",
  "not_matched",
  "obligations",
  "not_obligations",
  "reasons_contain",
  "risk",
  "approval",
  "errors",
  "dry_run",
] as const;

type P = Pair<Node, Node | null>;

export function parseExpectation(
  ctx: LoadContext,
  pair: P,
  doc: Document.Parsed,
): Expectation | undefined {
  const before = ctx.diagnostics.length;
  const e = ctx.entries(pair.value, "`expect`", expectFields);
  if (!e) return undefined;
  const out: Expectation = {};
  const decision = ctx.string(e.get("decision"), "`expect.decision`");
  if (decision !== undefined) {
    if ((decisionEffects as readonly string[]).includes(decision))
      out.decision = decision as Expectation["decision"];
    else
      ctx.error(
        testMessages.badEnum("`expect.decision`", decision, decisionEffects),
        e.get("decision")?.value,
      );
  }
  for (const key of ["matched", "matched_exactly", "not_matched", "not_obligations"] as const) {
    const list = stringList(ctx, e.get(key), `\`expect.${key}\``);
    if (list) out[key] = list;
  }
  const reasons = stringList(ctx, e.get("reasons_contain"), "`expect.reasons_contain`", true);
  if (reasons) out.reasons_contain = reasons;
  const errors = stringList(ctx, e.get("errors"), "`expect.errors`", true);
  if (errors) out.errors = errors;
  const obligations = e.get("obligations");
  if (obligations) {
    if (!isSeq(obligations.value))
      ctx.error(
        testMessages.wrongType("`expect.obligations`", "a list", describeNode(obligations.value)),
        obligations.value,
      );
    else {
      out.obligations = [];
      for (const item of obligations.value.items) {
        if (isScalar(item) && typeof item.value === "string") out.obligations.push(item.value);
        else if (isMap(item)) out.obligations.push(toPlain(item, doc) as Record<string, unknown>);
        else
          ctx.error(
            testMessages.wrongType("an obligation", "a type name or a mapping", describeNode(item)),
            item as Node,
          );
      }
    }
  }
  const dryRun = e.get("dry_run");
  if (dryRun) {
    if (!isSeq(dryRun.value))
      ctx.error(
        testMessages.wrongType("`expect.dry_run`", "a list", describeNode(dryRun.value)),
        dryRun.value,
      );
    else {
      out.dry_run = [];
      for (const item of dryRun.value.items) {
        if (isScalar(item) && typeof item.value === "string") {
          out.dry_run.push(item.value);
          continue;
        }
        const d = ctx.entries(item, "an entry of `expect.dry_run`", ["policy", "decision"]);
        if (!d) continue;
        const entry: { policy?: string; decision?: DecisionEffect } = {};
        const policy = ctx.string(d.get("policy"), "`policy`");
        if (policy !== undefined) entry.policy = policy;
        const decision = ctx.string(d.get("decision"), "`decision`");
        if (decision !== undefined) {
          if ((decisionEffects as readonly string[]).includes(decision))
            entry.decision = decision as DecisionEffect;
          else
            ctx.error(
              testMessages.badEnum("`decision`", decision, decisionEffects),
              d.get("decision")?.value,
            );
        }
        out.dry_run.push(entry);
      }
    }
  }
  const risk = e.get("risk");
  if (risk) {
    const r = ctx.entries(risk.value, "`expect.risk`", ["level", "score"]);
    if (r) {
      out.risk = {};
      const level = ctx.string(r.get("level"), "`expect.risk.level`");
      if (level !== undefined) {
        if ((riskLevels as readonly string[]).includes(level))
          out.risk.level = level as NonNullable<Expectation["risk"]>["level"];
        else
          ctx.error(
            testMessages.badEnum("`expect.risk.level`", level, riskLevels),
            r.get("level")?.value,
          );
      }
      const score = r.get("score");
      if (score) {
        const num = numberOf(score.value);
        if (num !== undefined) out.risk.score = { min: num, max: num };
        else {
          const s = ctx.entries(score.value, "`expect.risk.score`", ["min", "max"]);
          if (s) {
            const min = number(ctx, s.get("min"), "`expect.risk.score.min`");
            const max = number(ctx, s.get("max"), "`expect.risk.score.max`");
            out.risk.score = {
              ...(min !== undefined ? { min } : {}),
              ...(max !== undefined ? { max } : {}),
            };
            if (min !== undefined && max !== undefined && min > max)
              ctx.error(testMessages.badRange("`expect.risk.score`"), score.value);
          }
        }
      }
    }
  }
  const approval = e.get("approval");
  if (approval) {
    const a = ctx.entries(approval.value, "`expect.approval`", [
      "levels",
      "roles",
      "template",
      "required",
    ]);
    if (a) {
      out.approval = {};
      const levels = number(ctx, a.get("levels"), "`expect.approval.levels`");
      if (levels !== undefined) out.approval.levels = levels;
      const roles = stringList(ctx, a.get("roles"), "`expect.approval.roles`");
      if (roles) out.approval.roles = roles;
      const template = ctx.string(a.get("template"), "`expect.approval.template`");
      if (template !== undefined) out.approval.template = template;
      const required = a.get("required");
      if (required) {
        if (isScalar(required.value) && typeof required.value.value === "boolean")
          out.approval.required = required.value.value;
        else
          ctx.error(
            testMessages.wrongType(
              "`expect.approval.required`",
              "a boolean",
              describeNode(required.value),
            ),
            required.value,
          );
      }
    }
  }
  if (ctx.diagnostics.length > before) return undefined;
  if (Object.keys(out).length === 0) {
    ctx.error(testMessages.emptyExpect(), pair.key as Node);
    return undefined;
  }
  return out;
}

function numberOf(node: unknown): number | undefined {
  return isScalar(node) && typeof node.value === "number" ? node.value : undefined;
}

function number(ctx: LoadContext, pair: P | undefined, what: string): number | undefined {
  if (!pair) return undefined;
  const n = numberOf(pair.value);
  if (n === undefined)
    ctx.error(testMessages.wrongType(what, "a number", describeNode(pair.value)), pair.value);
  return n;
}

/** A list of strings; with `single`, a lone string is accepted as a one-element list. */
function stringList(
  ctx: LoadContext,
  pair: P | undefined,
  what: string,
  single = false,
): string[] | undefined {
  if (!pair) return undefined;
  const v = pair.value;
  if (single && isScalar(v) && typeof v.value === "string") return [v.value];
  if (!isSeq(v)) {
    ctx.error(
      testMessages.wrongType(what, "a list of strings", describeNode(v)),
      v ?? (pair.key as Node),
    );
    return undefined;
  }
  const out: string[] = [];
  for (const item of v.items) {
    if (isScalar(item) && typeof item.value === "string") out.push(item.value);
    else
      ctx.error(
        testMessages.wrongType(`an entry of ${what}`, "a string", describeNode(item)),
        item as Node,
      );
  }
  return out;
}
