/**
 * Graceful shutdown (issue 7 §8): `close()` (what SIGTERM runs) stops accepting new connections,
 * lets in-flight calls finish, records `system.stop` and closes the audit log. Reopened from disk,
 * the log holds the decision and outcome records of the calls that were in flight, ends with
 * `system.stop`, and verifies.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AuditTrail } from "../runtime/audit/index.js";
import { startHarness } from "./proxy-helpers/harness.js";

/** Every record of the log at `dir`, in order. */
async function readLog(dir: string) {
  const trail = await AuditTrail.open({ path: dir });
  try {
    const report = await trail.verify();
    const page = await trail.query({}, { limit: 1000 });
    return { report, records: page.records, size: trail.size };
  } finally {
    await trail.close();
  }
}

describe("graceful shutdown", () => {
  it("stops accepting, drains in-flight calls and closes a log that verifies", async () => {
    const h = await startHarness({ shutdown_grace: "5s" });
    try {
      const slow = [0, 1, 2].map((i) =>
        fetch(`${h.sidecar.url}/tools/echo`, {
          method: "POST",
          body: JSON.stringify({ text: `in-flight-${i}`, sleep_ms: 400 }),
        }),
      );
      // wait until all three reached the tool server, then close underneath them
      for (let i = 0; i < 200 && h.demo.calls.length < 3; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(h.demo.calls.length).toBe(3);
      const started = Date.now();
      const closing = h.sidecar.close();
      await new Promise((r) => setTimeout(r, 50));
      // a new connection is refused while the old ones drain
      await expect(
        fetch(`${h.sidecar.url}/tools/echo`, { method: "POST", body: "{}" }),
      ).rejects.toThrow();
      expect((await fetch(`${h.sidecar.adminUrl}/readyz`).catch(() => undefined))?.status).not.toBe(
        200,
      );
      const responses = await Promise.all(slow);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
      await closing;
      expect(h.trail.healthy).toBe(false); // closed

      const log = await readLog(join(h.dir, "data", "audit"));
      expect(log.report.ok).toBe(true);
      // each in-flight call: its decision record and its outcome record, same correlation id
      const decisions = log.records.filter((r) => r.type === "policy.evaluation");
      expect(decisions).toHaveLength(3);
      for (const d of decisions) {
        expect(
          log.records.find(
            (r) => r.type === "agent.action" && r.correlation_id === d.correlation_id,
          ),
        ).toMatchObject({ outcome: "success", context: { status: 200 } });
      }
      expect(log.records.at(-1)).toMatchObject({ type: "system.stop", outcome: "success" });
      expect(log.size).toBe(log.records.length);
      // the drain ended with the last call, not at the 5 s grace deadline
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await h.close();
    }
  });
});
