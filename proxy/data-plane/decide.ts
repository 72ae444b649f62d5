/**
 * `POST /v1/decide`: a decision input in, the decision JSON out, audited (committed) before the
 * answer. The agent in the input is replaced by the sidecar's identity unless
 * `decide.trust_input_agent` is set (e.g. a shared decision point behind other authentication).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DecisionInput } from "../../runtime/decision/types.js";
import { uuidv7 } from "../../runtime/ids/uuid7.js";
import { NOT_JSON, parseJsonOr400, readBodyOr413 } from "./body.js";
import { resolveCaller } from "./caller.js";
import type { DataPlaneContext } from "./context.js";
import { PROBLEM, sendJson, sendProblem } from "./reply.js";

export async function handleDecide(
  ctx: DataPlaneContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBodyOr413(req, res, ctx.config.limits.maxBodyBytes);
  if (body === undefined) return;
  const parsed = parseJsonOr400(res, body);
  if (parsed === NOT_JSON) return;
  const input = parsed as DecisionInput;
  const action = (input as { action?: { name?: unknown } })?.action;
  if (input === null || typeof input !== "object" || typeof action?.name !== "string") {
    sendProblem(res, {
      type: PROBLEM.badRequest,
      title: "Invalid decision input",
      status: 400,
      detail: "the input needs `action.name` (a string)",
    });
    return;
  }
  if (!ctx.config.decide.trustInputAgent || typeof input.agent?.id !== "string") {
    const who = await resolveCaller(ctx, req, { action: action.name, protocol: "decide" });
    if (!who.ok) {
      sendProblem(res, {
        type: PROBLEM.unauthenticated,
        title: "Unauthenticated",
        status: 401,
        detail: who.reason,
      });
      return;
    }
    input.agent = who.agent;
  }
  const decision = await ctx.enforcer.evaluate(input, {
    protocol: "decide",
    correlationId: uuidv7(),
  });
  if (!decision) {
    sendProblem(res, {
      type: PROBLEM.unavailable,
      title: "Unavailable (fail closed)",
      status: 503,
      detail: "the audit log cannot be written: no decision is answered unrecorded",
    });
    return;
  }
  sendJson(res, 200, decision);
}
