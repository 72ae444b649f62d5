/** Builds the decision input of an MCP `tools/call` (see docs/sidecar.md "decision input"). */
import type { DecisionInput } from "../../runtime/decision/types.js";
import type { AgentIdentity } from "../config/types.js";

export function callInput(
  agent: AgentIdentity,
  name: string,
  args: Record<string, unknown>,
  opts: { kind?: string; sessionId?: string; justification?: string },
): DecisionInput {
  const input: DecisionInput = {
    agent,
    action: opts.kind ? { name, kind: opts.kind, phase: "call" } : { name, phase: "call" },
    args,
  };
  if (opts.sessionId) input.session = { id: opts.sessionId };
  if (opts.justification) input.justification = opts.justification;
  return input;
}

/** The justification: `_meta.justification`, else the configured argument. */
export function justificationOf(
  meta: Record<string, unknown> | undefined,
  args: Record<string, unknown>,
  arg: string | undefined,
): string | undefined {
  const j = meta?.justification ?? (arg ? args[arg] : undefined);
  return typeof j === "string" && j ? j : undefined;
}
