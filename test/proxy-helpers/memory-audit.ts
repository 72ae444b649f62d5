/** An in-memory audit sink for tests that need to break the audit log on purpose. */
export class MemoryAudit {
  readonly records: Record<string, unknown>[] = [];
  failing = false;

  async append(event: Record<string, unknown>) {
    if (this.failing) throw new Error("audit log is read-only");
    const rec = { ...event, seq: this.records.length };
    this.records.push(rec);
    return rec;
  }

  get healthy() {
    return !this.failing;
  }

  get size() {
    return this.records.length;
  }
}
