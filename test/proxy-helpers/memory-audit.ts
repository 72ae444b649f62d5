/**
 * A spy around the real audit log for tests: every appended event is kept in `records` (with the
 * committed record's `seq`) so tests can assert what was written, and `failing` makes appends
 * fail before they reach the log (to test fail-closed behaviour). Without an inner log it keeps
 * events in memory only.
 */
import type { AuditLog } from "../../proxy/ports.js";

type Inner = AuditLog & {
  close?(): Promise<void>;
  readonly size?: number;
  verify?(): Promise<{ ok: boolean; size: number }>;
};

export class MemoryAudit {
  readonly records: Record<string, unknown>[] = [];
  failing = false;

  constructor(readonly inner?: Inner) {}

  async append(event: Record<string, unknown>) {
    if (this.failing) throw new Error("audit log is read-only");
    const committed = this.inner ? await this.inner.append(event) : { seq: this.records.length };
    const rec = { ...event, seq: (committed as { seq?: number })?.seq };
    this.records.push(rec);
    return committed;
  }

  get healthy() {
    return !this.failing && this.inner?.healthy !== false;
  }

  get size() {
    return this.inner?.size ?? this.records.length;
  }

  async close() {
    await this.inner?.close?.();
  }
}
