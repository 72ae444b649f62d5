import { ApprovalError } from "../errors.js";
import { approvalMessages } from "../messages.js";
import type { ApprovalRequest } from "../types.js";
import { type ApprovalStore, byCreation, matchesQuery, type StoreQuery } from "./types.js";

/**
 * Approval requests in a Map, for tests and for embedding without persistence. Copies on the
 * way in and out, like a database would.
 */
export class MemoryApprovalStore implements ApprovalStore {
  readonly #byId = new Map<string, ApprovalRequest>();
  readonly #byKey = new Map<string, string>();

  async insert(request: ApprovalRequest): Promise<{ request: ApprovalRequest; created: boolean }> {
    const key = request.idempotencyKey;
    const existing = key !== undefined ? this.#byKey.get(key) : undefined;
    if (existing !== undefined) {
      return { request: structuredClone(this.#byId.get(existing)!), created: false };
    }
    this.#byId.set(request.id, structuredClone(request));
    if (key !== undefined) this.#byKey.set(key, request.id);
    return { request: structuredClone(request), created: true };
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    const r = this.#byId.get(id);
    return r ? structuredClone(r) : undefined;
  }

  async getByIdempotencyKey(key: string): Promise<ApprovalRequest | undefined> {
    const id = this.#byKey.get(key);
    return id === undefined ? undefined : this.get(id);
  }

  async update(request: ApprovalRequest): Promise<void> {
    const stored = this.#byId.get(request.id);
    if (!stored) throw new ApprovalError(approvalMessages.notFound(request.id));
    if (stored.version !== request.version - 1) {
      throw new ApprovalError(approvalMessages.conflict(request.id));
    }
    this.#byId.set(request.id, structuredClone(request));
  }

  async list(query: StoreQuery = {}): Promise<ApprovalRequest[]> {
    return [...this.#byId.values()]
      .filter((r) => matchesQuery(r, query))
      .sort(byCreation)
      .map((r) => structuredClone(r));
  }

  async claimForward(id: string, at: number): Promise<boolean> {
    const stored = this.#byId.get(id);
    if (!stored) throw new ApprovalError(approvalMessages.notFound(id));
    if (stored.state !== "approved" || stored.forwardedAt !== undefined) return false;
    stored.forwardedAt = at;
    stored.version += 1;
    return true;
  }

  async close(): Promise<void> {}
}
