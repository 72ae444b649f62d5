// A design measured and not shipped (bench/proxy-worker.mjs): the sidecar's audit trail on a
// worker thread. The main thread batches the events of one event-loop turn into one message; the
// worker appends them to the real AuditTrail (committed) and answers with the ids it committed.
import { Worker } from "node:worker_threads";

export class WorkerAudit {
  healthy = true;
  #pending = [];
  #scheduled = false;
  #waiters = new Map();
  #next = 0;
  #worker;
  ready;

  constructor(path) {
    this.#worker = new Worker(new URL("./worker-audit-thread.mjs", import.meta.url), {
      workerData: { path },
    });
    this.ready = new Promise((resolve, reject) => {
      this.#worker.once("error", reject);
      this.#worker.on("message", (m) => {
        if (m.ready) return resolve();
        for (const id of m.ok) this.#settle(id, 0);
        for (const [id, message] of m.failed) {
          this.healthy = false;
          this.#settle(id, 1, new Error(message));
        }
      });
    });
  }

  #settle(id, which, value) {
    const w = this.#waiters.get(id);
    this.#waiters.delete(id);
    w?.[which](value);
  }

  #flush = () => {
    const batch = this.#pending;
    this.#pending = [];
    this.#scheduled = false;
    this.#worker.postMessage(batch);
  };

  append(event) {
    const id = this.#next++;
    this.#pending.push([id, event]);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
    return new Promise((resolve, reject) => this.#waiters.set(id, [resolve, reject]));
  }

  async close() {
    await this.#worker.terminate();
  }
}
