import type { ApprovalPriority, ApprovalRequest, ApprovalState } from "../types.js";

/** What a store can select on (its indexes). Results are ordered by creation time, oldest first. */
export interface StoreQuery {
  states?: ApprovalState[];
  agent?: string;
  priority?: ApprovalPriority;
}

/**
 * Persistence of approval requests. Two implementations share one contract test
 * (`store.case.ts`): `LmdbApprovalStore` (durable) and `MemoryApprovalStore`.
 *
 * Invariants: a returned request is a copy (mutating it changes nothing stored); `update` is a
 * compare-and-set on `version`; an idempotency key names at most one request; `claimForward`
 * succeeds once per request, ever.
 */
export interface ApprovalStore {
  /**
   * Stores a new request. When `request.idempotencyKey` already names a stored request, stores
   * nothing and returns that one with `created: false` (atomically: two concurrent inserts with
   * one key yield one request).
   */
  insert(request: ApprovalRequest): Promise<{ request: ApprovalRequest; created: boolean }>;
  get(id: string): Promise<ApprovalRequest | undefined>;
  getByIdempotencyKey(key: string): Promise<ApprovalRequest | undefined>;
  /**
   * Replaces the stored request whose version is `request.version - 1`; throws an
   * `approval_conflict` error when the stored version differs, `approval_not_found` when absent.
   */
  update(request: ApprovalRequest): Promise<void>;
  list(query?: StoreQuery): Promise<ApprovalRequest[]>;
  /**
   * Marks an approved request as forwarded at `at`. True the first time for an approved request;
   * false when it was already claimed or is not approved. Durable before it resolves.
   */
  claimForward(id: string, at: number): Promise<boolean>;
  close(): Promise<void>;
}

/** True when `r` satisfies every field of `q`. */
export function matchesQuery(r: ApprovalRequest, q: StoreQuery): boolean {
  if (q.states && !q.states.includes(r.state)) return false;
  if (q.agent !== undefined && r.agent.id !== q.agent) return false;
  if (q.priority !== undefined && r.priority !== q.priority) return false;
  return true;
}

/** Creation order, then id (stable). */
export function byCreation(a: ApprovalRequest, b: ApprovalRequest): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
