/**
 * The one contract every ApprovalStore honours, run against each implementation
 * (memory.test.ts, lmdb.test.ts), as hono runs one router contract against every router.
 */
import { describe, expect, it } from "vitest";
import type { ApprovalStore } from "../store/types.js";
import { requestFor } from "./fixtures.js";

export interface StoreHarness {
  store: ApprovalStore;
  /** Closes and reopens the same storage (durable stores), or returns the same store. */
  reopen(): Promise<ApprovalStore>;
}

export function runStoreContract(name: string, make: () => Promise<StoreHarness>): void {
  describe(`${name}: ApprovalStore contract`, () => {
    it("stores and returns copies", async () => {
      const { store } = await make();
      const r = requestFor();
      const { request, created } = await store.insert(r);
      expect(created).toBe(true);
      expect(request).toEqual(r);
      const got = await store.get(r.id);
      expect(got).toEqual(r);
      got!.state = "approved";
      expect((await store.get(r.id))!.state).toBe("pending");
      expect(await store.get("nope")).toBeUndefined();
      await store.close();
    });

    it("returns the existing request for a known idempotency key", async () => {
      const { store } = await make();
      const a = requestFor({ idempotencyKey: "k-1" });
      const b = requestFor({ idempotencyKey: "k-1" });
      const [ra, rb] = await Promise.all([store.insert(a), store.insert(b)]);
      expect(ra.created).toBe(true);
      expect(rb.created).toBe(false);
      expect(rb.request.id).toBe(a.id);
      expect(await store.get(b.id)).toBeUndefined();
      expect((await store.getByIdempotencyKey("k-1"))!.id).toBe(a.id);
      expect(await store.getByIdempotencyKey("k-2")).toBeUndefined();
      await store.close();
    });

    it("updates by compare-and-set on the version", async () => {
      const { store } = await make();
      const r = requestFor();
      await store.insert(r);
      await store.update({ ...r, version: 2, state: "escalated" });
      expect((await store.get(r.id))!.state).toBe("escalated");
      await expect(store.update({ ...r, version: 2, state: "approved" })).rejects.toMatchObject({
        code: "approval_conflict",
      });
      await expect(store.update({ ...requestFor(), version: 2 })).rejects.toMatchObject({
        code: "approval_not_found",
      });
      await store.close();
    });

    it("lists by state, agent and priority in creation order, keeping indexes current", async () => {
      const { store } = await make();
      const a = requestFor({ agent: { id: "x" }, priority: "urgent" });
      const b = requestFor({ agent: { id: "y" }, priority: "low" });
      const c = requestFor({ agent: { id: "x" }, priority: "low" });
      for (const r of [c, a, b]) await store.insert(r);
      const ids = async (q: Parameters<ApprovalStore["list"]>[0]) =>
        (await store.list(q)).map((r) => r.id);
      expect(await ids({})).toEqual([a.id, b.id, c.id]);
      expect(await ids({ agent: "x" })).toEqual([a.id, c.id]);
      expect(await ids({ priority: "low" })).toEqual([b.id, c.id]);
      expect(await ids({ agent: "x", priority: "low" })).toEqual([c.id]);
      await store.update({ ...b, version: 2, state: "approved" });
      expect(await ids({ states: ["pending"] })).toEqual([a.id, c.id]);
      expect(await ids({ states: ["approved"] })).toEqual([b.id]);
      expect(await ids({ states: ["pending", "approved"], priority: "low" })).toEqual([b.id, c.id]);
      expect(await ids({ agent: "nobody" })).toEqual([]);
      await store.close();
    });

    it("claims forwarding once, only for approved requests, and remembers it", async () => {
      const h = await make();
      const r = requestFor();
      await h.store.insert(r);
      expect(await h.store.claimForward(r.id, 5)).toBe(false);
      await h.store.update({ ...r, version: 2, state: "approved" });
      const claims = await Promise.all([
        h.store.claimForward(r.id, 6),
        h.store.claimForward(r.id, 7),
      ]);
      expect(claims.sort()).toEqual([false, true]);
      const reopened = await h.reopen();
      expect(await reopened.claimForward(r.id, 8)).toBe(false);
      expect((await reopened.get(r.id))!.forwardedAt).toBe(6);
      await expect(reopened.claimForward("nope", 9)).rejects.toMatchObject({
        code: "approval_not_found",
      });
      await reopened.close();
    });

    it("keeps requests, indexes and idempotency keys across a reopen", async () => {
      const h = await make();
      const r = requestFor({ idempotencyKey: "k-9", agent: { id: "z" } });
      await h.store.insert(r);
      const s = await h.reopen();
      expect(await s.get(r.id)).toEqual(r);
      expect((await s.getByIdempotencyKey("k-9"))!.id).toBe(r.id);
      expect((await s.list({ agent: "z", states: ["pending"] })).map((x) => x.id)).toEqual([r.id]);
      await s.close();
    });
  });
}
