/**
 * Redaction applied to the decision input before a request is stored, so approvers (and the
 * approvals database) never see what the policy said to mask. The runtime engine's `redact`
 * (runtime/engine) is injected by the sidecar; this fallback masks the obligation's `paths` and,
 * when the obligation names detectors it cannot run, masks the whole of `args` (fail safe).
 */
import type { DecisionInput, Obligation } from "../decision/types.js";

/** Same shape as runtime/engine `redact(value, obligations, where)`. */
export type Redactor = (
  value: unknown,
  obligations: Obligation[],
  where: "args" | "result",
) => unknown;

export const MASK = "[REDACTED]";

/** Applies `redactor` (or the fallback) to the input's arguments, per the `in: args` obligations. */
export function redactInput(
  input: DecisionInput,
  obligations: Obligation[],
  redactor?: Redactor,
): DecisionInput {
  const relevant = obligations.filter(
    (o) => o.type === "redact" && (!Array.isArray(o.in) || (o.in as string[]).includes("args")),
  );
  const copy = structuredClone(input);
  if (relevant.length === 0) return copy;
  if (redactor) return redactor(copy, relevant, "args") as DecisionInput;
  return fallbackRedact(copy, relevant);
}

function fallbackRedact(input: DecisionInput, obligations: Obligation[]): DecisionInput {
  for (const o of obligations as { detectors?: unknown; paths?: unknown }[]) {
    const detectors = Array.isArray(o.detectors) ? o.detectors : [];
    if (detectors.length > 0 && input.args !== undefined) {
      input.args = { [MASK]: true } as Record<string, unknown>;
      continue;
    }
    for (const path of Array.isArray(o.paths) ? (o.paths as string[]) : []) mask(input, path);
  }
  return input;
}

function mask(root: unknown, path: string): void {
  const parts = path.split(".");
  let node: unknown = root;
  for (let i = 0; i < parts.length - 1; i++) {
    if (node === null || typeof node !== "object") return;
    node = (node as Record<string, unknown>)[parts[i]!];
  }
  const last = parts[parts.length - 1]!;
  if (node !== null && typeof node === "object" && Object.hasOwn(node, last)) {
    (node as Record<string, unknown>)[last] = MASK;
  }
}
