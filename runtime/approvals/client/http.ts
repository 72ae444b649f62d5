/**
 * HTTP client of the admin approval routes (proxy/admin/approvals.ts), used by the CLI and the
 * dashboard. Holds no state beyond its base URL and token.
 */
import type { ApprovalStats } from "../stats.js";
import type { ApprovalFilter, ApprovalRequest, ApprovalTemplate } from "../types.js";

/** An error answer of the admin API (its problem+json body), or a transport failure. */
export class ApprovalsApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly title: string | undefined;

  constructor(status: number, message: string, code?: string, title?: string) {
    super(message);
    this.name = "ApprovalsApiError";
    this.status = status;
    this.code = code;
    this.title = title;
  }
}

export interface ApprovalsClientOptions {
  /** The admin listener's base URL, e.g. `http://127.0.0.1:9091` (or the full `/v1/approvals`). */
  url: string;
  token?: string;
  fetch?: typeof fetch;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

export type BatchBody = {
  action: "approve" | "reject";
  ids?: string[];
  filter?: { role?: string; agent?: string; priority?: string };
  reason?: string;
};

export interface BatchAnswer {
  results: { id: string; ok: boolean; state?: string; code?: string; error?: string }[];
  succeeded: number;
  failed: number;
}

export class ApprovalsClient {
  readonly #base: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(opts: ApprovalsClientOptions) {
    let base: URL;
    try {
      base = new URL(opts.url);
    } catch {
      throw new ApprovalsApiError(0, `\`${opts.url}\` is not a URL`);
    }
    const path = base.pathname.replace(/\/+$/, "");
    base.pathname = path.endsWith("/v1/approvals") ? path : `${path}/v1/approvals`;
    this.#base = base.toString().replace(/\/+$/, "");
    this.#token = opts.token;
    this.#fetch = opts.fetch ?? fetch;
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
  }

  async list(
    filter: Omit<ApprovalFilter, "state"> & { state?: string } = {},
  ): Promise<ApprovalRequest[]> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter))
      if (v !== undefined && v !== "") q.set(k, String(v));
    const qs = q.toString();
    const body = await this.#call<{ requests: ApprovalRequest[] }>("GET", qs ? `?${qs}` : "");
    return body.requests;
  }

  get(id: string): Promise<ApprovalRequest> {
    return this.#call("GET", `/${encodeURIComponent(id)}`);
  }

  approve(id: string, reason?: string): Promise<ApprovalRequest> {
    return this.#call("POST", `/${encodeURIComponent(id)}/approve`, reasonBody(reason));
  }

  reject(id: string, reason?: string): Promise<ApprovalRequest> {
    return this.#call("POST", `/${encodeURIComponent(id)}/reject`, reasonBody(reason));
  }

  cancel(id: string, reason?: string): Promise<ApprovalRequest> {
    return this.#call("POST", `/${encodeURIComponent(id)}/cancel`, reasonBody(reason));
  }

  batch(body: BatchBody): Promise<BatchAnswer> {
    return this.#call("POST", "/batch", body);
  }

  stats(): Promise<ApprovalStats> {
    return this.#call("GET", "/stats");
  }

  async templates(): Promise<(ApprovalTemplate & { name: string })[]> {
    return (
      await this.#call<{ templates: (ApprovalTemplate & { name: string })[] }>("GET", "/templates")
    ).templates;
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.#fetch(this.#base + path, {
        method,
        headers: {
          accept: "application/json",
          ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      const why =
        err instanceof Error
          ? err.cause instanceof Error
            ? err.cause.message
            : err.message
          : String(err);
      throw new ApprovalsApiError(0, `cannot reach the admin API at \`${this.#base}\`: ${why}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const p = (json ?? {}) as { detail?: string; title?: string; code?: string };
      throw new ApprovalsApiError(
        res.status,
        p.detail ?? p.title ?? `the admin API answered ${res.status} ${res.statusText}`,
        p.code,
        p.title,
      );
    }
    if (json === undefined) {
      throw new ApprovalsApiError(
        res.status,
        `the admin API answered ${res.status} without a JSON body`,
      );
    }
    return json as T;
  }
}

function reasonBody(reason: string | undefined): { reason?: string } {
  return reason !== undefined ? { reason } : {};
}
