import { mkdir } from "node:fs/promises";
import { type Database, open, type RootDatabase } from "lmdb";
import { ApprovalError } from "../errors.js";
import { approvalMessages } from "../messages.js";
import type { ApprovalRequest } from "../types.js";
import { type ApprovalStore, byCreation, matchesQuery, type StoreQuery } from "./types.js";

type IndexKey = [string, string, number, string];

/**
 * Approval requests in an LMDB environment (a directory, e.g. `<dataDir>/approvals`, next to the
 * audit log). Three named databases:
 *
 * - `requests`: id → request;
 * - `index`: ordered secondary keys `[kind, value, createdAt, id]` for kind `s` (state),
 *   `p` (priority) and `a` (agent id), maintained in the same write transaction as the request;
 * - `idempotency`: idempotency key → id.
 *
 * Every write is one LMDB transaction, committed and flushed to disk before its promise resolves
 * (LMDB's default sync commits), so a restart sees exactly what was acknowledged.
 */
export class LmdbApprovalStore implements ApprovalStore {
  readonly #root: RootDatabase;
  readonly #requests: Database<ApprovalRequest, string>;
  readonly #index: Database<true, IndexKey>;
  readonly #idem: Database<string, string>;

  private constructor(root: RootDatabase) {
    this.#root = root;
    this.#requests = root.openDB<ApprovalRequest, string>({ name: "requests" });
    this.#index = root.openDB<true, IndexKey>({ name: "index" });
    this.#idem = root.openDB<string, string>({ name: "idempotency", encoding: "string" });
  }

  /** Opens (creating if needed) the environment in `path`. */
  static async open(path: string): Promise<LmdbApprovalStore> {
    await mkdir(path, { recursive: true });
    return new LmdbApprovalStore(open({ path, maxDbs: 8 }));
  }

  async insert(request: ApprovalRequest): Promise<{ request: ApprovalRequest; created: boolean }> {
    const key = request.idempotencyKey;
    const found = await this.#root.transaction(() => {
      if (key !== undefined) {
        const id = this.#idem.get(key);
        if (id !== undefined) return this.#requests.get(id);
        this.#idem.put(key, request.id);
      }
      this.#requests.put(request.id, request);
      for (const k of indexKeys(request)) this.#index.put(k, true);
      return undefined;
    });
    if (found) return { request: found, created: false };
    return { request: structuredClone(request), created: true };
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    return this.#requests.get(id);
  }

  async getByIdempotencyKey(key: string): Promise<ApprovalRequest | undefined> {
    const id = this.#idem.get(key);
    return id === undefined ? undefined : this.#requests.get(id);
  }

  async update(request: ApprovalRequest): Promise<void> {
    const outcome = await this.#root.transaction(() => {
      const stored = this.#requests.get(request.id);
      if (!stored) return "missing";
      if (stored.version !== request.version - 1) return "conflict";
      for (const k of indexKeys(stored)) this.#index.remove(k);
      this.#requests.put(request.id, request);
      for (const k of indexKeys(request)) this.#index.put(k, true);
      return "ok";
    });
    if (outcome === "missing") throw new ApprovalError(approvalMessages.notFound(request.id));
    if (outcome === "conflict") throw new ApprovalError(approvalMessages.conflict(request.id));
  }

  async list(query: StoreQuery = {}): Promise<ApprovalRequest[]> {
    const ids = this.#candidateIds(query);
    const out: ApprovalRequest[] = [];
    for (const id of ids) {
      const r = this.#requests.get(id);
      if (r && matchesQuery(r, query)) out.push(r);
    }
    return out.sort(byCreation);
  }

  async claimForward(id: string, at: number): Promise<boolean> {
    const outcome = await this.#root.transaction(() => {
      const stored = this.#requests.get(id);
      if (!stored) return "missing";
      if (stored.state !== "approved" || stored.forwardedAt !== undefined) return "no";
      this.#requests.put(id, { ...stored, forwardedAt: at, version: stored.version + 1 });
      return "yes";
    });
    if (outcome === "missing") throw new ApprovalError(approvalMessages.notFound(id));
    return outcome === "yes";
  }

  async close(): Promise<void> {
    await this.#root.close();
  }

  /** Ids from the most selective index for `query` (agent, then priority, then states). */
  #candidateIds(query: StoreQuery): Iterable<string> {
    const scan = (kind: string, value: string) =>
      this.#index
        .getKeys({ start: [kind, value], end: [kind, `${value}\u0000`] })
        .map((k) => (k as IndexKey)[3]);
    if (query.agent !== undefined) return scan("a", query.agent);
    if (query.priority !== undefined) return scan("p", query.priority);
    if (query.states) return query.states.flatMap((s) => [...scan("s", s)]);
    return this.#requests.getKeys();
  }
}

function indexKeys(r: ApprovalRequest): IndexKey[] {
  return [
    ["s", r.state, r.createdAt, r.id],
    ["p", r.priority, r.createdAt, r.id],
    ["a", r.agent.id, r.createdAt, r.id],
  ];
}
