/** Small response writers shared by the data-plane handlers. */
import type { ServerResponse } from "node:http";

/** Writes a JSON body with an exact content-length. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = "application/json",
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** An RFC 9457 problem details body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

/** Writes an `application/problem+json` response (RFC 9457). */
export function sendProblem(
  res: ServerResponse,
  problem: Problem,
  headers: Record<string, string> = {},
): void {
  sendJson(res, problem.status, problem, headers, "application/problem+json");
}

/** Problem type URIs (stable identifiers, documented in docs/sidecar.md). */
export const PROBLEM = {
  denied: "https://paracle.dev/problems/policy-denied",
  limited: "https://paracle.dev/problems/rate-limited",
  pending: "https://paracle.dev/problems/approval-pending",
  unauthenticated: "https://paracle.dev/problems/unauthenticated",
  tooLarge: "https://paracle.dev/problems/body-too-large",
  badRequest: "https://paracle.dev/problems/bad-request",
  notFound: "https://paracle.dev/problems/not-found",
  upstream: "https://paracle.dev/problems/upstream-error",
  unavailable: "https://paracle.dev/problems/unavailable",
  conflict: "https://paracle.dev/problems/already-forwarded",
} as const;
