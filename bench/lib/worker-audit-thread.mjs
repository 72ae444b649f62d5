// The worker side of bench/lib/worker-audit.mjs: the real, committed AuditTrail.
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";

const { AuditTrail } = await import(
  join(import.meta.dirname, "..", "..", "dist", "runtime", "audit", "index.js")
);
const trail = await AuditTrail.open({ path: workerData.path });
parentPort.on("message", async (batch) => {
  const ok = [];
  const failed = [];
  await Promise.all(
    batch.map(([id, event]) =>
      trail.append(event).then(
        () => ok.push(id),
        (e) => failed.push([id, e.message]),
      ),
    ),
  );
  parentPort.postMessage({ ok, failed });
});
parentPort.postMessage({ ready: true });
