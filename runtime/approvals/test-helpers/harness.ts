/** A service wired to a manual clock, a fake scheduler and in-memory sinks, for tests. */
import { ManualClock } from "../../clock.js";
import type { ApprovalNotification, Notifier } from "../notifier.js";
import { ApprovalService, type ApprovalServiceOptions } from "../service.js";
import { MemoryApprovalStore } from "../store/memory.js";
import type { ApprovalStore } from "../store/types.js";
import { FakeScheduler } from "../timers.js";
import { MemoryAuditSink } from "./fixtures.js";

export const T0 = Date.parse("2025-03-03T09:00:00Z");

export class RecordingNotifier implements Notifier {
  readonly sent: ApprovalNotification[] = [];
  notify(n: ApprovalNotification): void {
    this.sent.push(n);
  }
  kinds(): string[] {
    return this.sent.map((n) => n.kind);
  }
}

export interface Harness {
  service: ApprovalService;
  store: ApprovalStore;
  clock: ManualClock;
  timers: FakeScheduler;
  audit: MemoryAuditSink;
  notes: RecordingNotifier;
}

export async function harness(
  opts: Partial<ApprovalServiceOptions> & { clock?: ManualClock } = {},
): Promise<Harness> {
  const clock = opts.clock ?? new ManualClock(T0);
  const timers = (opts.timers as FakeScheduler | undefined) ?? new FakeScheduler(clock);
  const audit = (opts.audit as MemoryAuditSink | undefined) ?? new MemoryAuditSink();
  const notes = new RecordingNotifier();
  const store = opts.store ?? new MemoryApprovalStore();
  let n = 0;
  const service = new ApprovalService({
    newId: () => `apr-${++n}`,
    notifier: notes,
    ...opts,
    store,
    audit,
    clock,
    timers,
  });
  await service.start();
  return { service, store, clock, timers, audit, notes };
}

export const lead = (id: string) => ({ id, roles: ["lead"] });
export const sec = (id: string) => ({ id, roles: ["security"] });
