/** Reads a request body with a size limit (the limit is checked before buffering more). */
import type { IncomingMessage, ServerResponse } from "node:http";
import { PROBLEM, sendProblem } from "./reply.js";

/** The body exceeded `limits.max_body` (answered with 413). */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds the limit of ${limit} bytes`);
  }
}

/** Resolves with the whole body; rejects with `BodyTooLargeError` as soon as it passes `limit`. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on("error", reject);
  });
}

/**
 * Reads the body of a plain HTTP call (`/tools/*`, `/v1/decide`, routes); a body over the limit is
 * answered `413` problem+json here and resolves `undefined`.
 */
export async function readBodyOr413(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<Buffer | undefined> {
  try {
    return await readBody(req, limit);
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) throw e;
    sendProblem(
      res,
      { type: PROBLEM.tooLarge, title: "Body too large", status: 413, detail: e.message },
      { connection: "close" },
    );
    return undefined;
  }
}

/** What {@link parseJsonOr400} returns for a body that is not JSON (already answered). */
export const NOT_JSON: unique symbol = Symbol("not JSON");

/**
 * The JSON value of a plain HTTP body; a body that is not JSON is answered `400` problem+json
 * ("Invalid JSON", with the parser's message) here and yields {@link NOT_JSON}.
 */
export function parseJsonOr400(res: ServerResponse, body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (e) {
    sendProblem(res, {
      type: PROBLEM.badRequest,
      title: "Invalid JSON",
      status: 400,
      detail: (e as Error).message,
    });
    return NOT_JSON;
  }
}
