/**
 * A lazily created abort signal that fires when the agent's connection goes away before the
 * response was finished. Lazy because most calls never need one: an AbortController per request
 * (and the DOMException of its abort) cost measurable throughput on the hot path.
 */
import type { ServerResponse } from "node:http";

export function disconnectSignal(res: ServerResponse): () => AbortSignal {
  let ac: AbortController | undefined;
  return () => {
    if (!ac) {
      const controller = new AbortController();
      ac = controller;
      if (res.destroyed && !res.writableFinished) controller.abort();
      else
        res.once("close", () => {
          if (!res.writableFinished) controller.abort();
        });
    }
    return ac.signal;
  };
}

/** True when the agent went away before its response was finished. */
export function agentGone(res: ServerResponse): boolean {
  return res.destroyed && !res.writableFinished;
}
