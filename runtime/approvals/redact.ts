/**
 * Redaction applied to the decision input before a request is stored, so approvers, webhooks and
 * the approvals database never see what the policy said to mask (`redact` obligations with
 * `in: args`, or no `in`). Uses the runtime engine's `redact` unless another one is injected.
 */
import type { DecisionInput, Obligation } from "../decision/types.js";
import { redact as engineRedact } from "../engine/redact.js";

/** Same shape as runtime/engine `redact(value, obligations, where)`: `value` is the arguments. */
export type Redactor = (
  value: unknown,
  obligations: Obligation[],
  where: "args" | "result",
) => unknown;

/** A deep copy of `input` whose `args` went through `redactor` (the engine's by default). */
export function redactInput(
  input: DecisionInput,
  obligations: Obligation[],
  redactor: Redactor = engineRedact,
): DecisionInput {
  const copy = structuredClone(input);
  const relevant = obligations.filter(
    (o) => o.type === "redact" && (!Array.isArray(o.in) || (o.in as string[]).includes("args")),
  );
  if (relevant.length === 0 || copy.args === undefined) return copy;
  copy.args = redactor(copy.args, relevant, "args") as Record<string, unknown>;
  return copy;
}
