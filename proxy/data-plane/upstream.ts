/**
 * Upstream connection pools (one undici `Pool` per configured upstream). The host of every
 * outgoing request is the configured upstream's origin: callers pass a name and a path, never a
 * URL, so no request can make the sidecar reach another host (SSRF).
 */
import type { Writable } from "node:stream";
import { type Dispatcher, Pool } from "undici";
import type { UpstreamConfig } from "../config/types.js";

/** Why a forward failed, with the HTTP status and the message the agent sees. */
export class UpstreamError extends Error {
  constructor(
    readonly upstream: string,
    readonly kind: "timeout" | "unreachable" | "failed",
    readonly status: 502 | 504,
    message: string,
  ) {
    super(message);
  }
}

export interface ForwardRequest {
  method: string;
  /** Path and query on the upstream; must start with `/`. */
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer | string | null;
  signal?: AbortSignal;
}

export class Upstreams {
  readonly #pools = new Map<string, { pool: Pool; config: UpstreamConfig }>();

  constructor(upstreams: Iterable<UpstreamConfig>) {
    for (const u of upstreams) {
      const pool = new Pool(u.url, {
        connections: u.connections,
        pipelining: 1,
        headersTimeout: u.timeoutMs,
        bodyTimeout: u.idleTimeoutMs,
        connect: { timeout: u.connectTimeoutMs },
        keepAliveTimeout: 30_000,
      });
      this.#pools.set(u.name, { pool, config: u });
    }
  }

  config(name: string): UpstreamConfig {
    return this.#get(name).config;
  }

  /** Buffers the upstream response (for responses the sidecar rewrites). */
  async request(name: string, req: ForwardRequest): Promise<Dispatcher.ResponseData> {
    const { pool } = this.#get(name);
    try {
      return await pool.request(options(req));
    } catch (e) {
      throw classify(name, this.#get(name).config, e);
    }
  }

  /**
   * Streams the upstream response into the writable returned by `onHeaders` (the agent's
   * response): bytes flow as they arrive, so SSE streams pass through unbuffered. Resolves with
   * the status once the body has been written. Uses undici's callback form: one promise per
   * forward on the hot path instead of a chain of async frames.
   */
  stream(
    name: string,
    req: ForwardRequest,
    onHeaders: (status: number, headers: Record<string, string | string[] | undefined>) => Writable,
  ): Promise<number> {
    const p = this.#pools.get(name);
    if (!p) return Promise.reject(this.#missing(name));
    return new Promise((resolve, reject) => {
      let status = 0;
      try {
        p.pool.stream(
          options(req),
          ({ statusCode, headers }) => {
            status = statusCode;
            return onHeaders(statusCode, headers);
          },
          (err) => (err ? reject(classify(name, p.config, err)) : resolve(status)),
        );
      } catch (e) {
        reject(classify(name, p.config, e));
      }
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map(({ pool }) => pool.close()));
  }

  #get(name: string) {
    const p = this.#pools.get(name);
    if (!p) throw this.#missing(name);
    return p;
  }

  #missing(name: string): UpstreamError {
    return new UpstreamError(name, "failed", 502, `no upstream named \`${name}\``);
  }
}

function options(req: ForwardRequest): Dispatcher.RequestOptions {
  if (!req.path.startsWith("/")) throw new Error(`upstream path must start with \`/\``);
  return {
    method: req.method as Dispatcher.HttpMethod,
    path: req.path,
    headers: req.headers,
    body: req.body ?? null,
    signal: req.signal ?? null,
  };
}

function classify(name: string, config: UpstreamConfig, e: unknown): Error {
  if (e instanceof UpstreamError) return e;
  const code = (e as { code?: string }).code ?? "";
  if (code === "UND_ERR_HEADERS_TIMEOUT")
    return new UpstreamError(
      name,
      "timeout",
      504,
      `upstream \`${name}\` did not answer within ${config.timeoutMs} ms`,
    );
  if (code === "UND_ERR_BODY_TIMEOUT")
    return new UpstreamError(
      name,
      "timeout",
      504,
      `upstream \`${name}\` stalled for ${config.idleTimeoutMs} ms`,
    );
  if (
    code === "UND_ERR_CONNECT_TIMEOUT" ||
    code === "ECONNREFUSED" ||
    code === "ENOTFOUND" ||
    code === "EHOSTUNREACH"
  )
    return new UpstreamError(
      name,
      "unreachable",
      502,
      `upstream \`${name}\` is unreachable (${code})`,
    );
  if ((e as Error).name === "AbortError") return e as Error;
  return new UpstreamError(
    name,
    "failed",
    502,
    `upstream \`${name}\` failed: ${code || (e as Error).message}`,
  );
}
