// Appends bench/audit.mjs's event to several audit logs in one process, burst by burst in turn, so
// that the machine's drift hits them alike (bench/audit-ids.mjs, bench/audit-ab.mjs). Each log is
// `{ trail, id: (i) => correlation id }`; afterwards it carries `n` timed records and `ms`, the
// time they took to commit (the first `warm` records of each log are not timed).
import { auditEvent } from "./audit-event.mjs";
import { table } from "./stats.mjs";

export async function appendInTurn(logs, { records, burst = 2_000, warm = 20_000 }) {
  for (const log of logs) {
    log.n = 0;
    log.ms = 0;
  }
  for (let i = 0; i < records; i += burst) {
    for (const log of logs) {
      const t0 = performance.now();
      let last;
      for (let j = i; j < i + burst; j++) last = log.trail.append(auditEvent(j, log.id(j)));
      await last;
      if (i >= warm) {
        log.ms += performance.now() - t0;
        log.n += burst;
      }
    }
  }
}

/** A table of committed appends/s per log, with each log's share of log `base`'s rate. */
export function appendsTable(logs, first, base) {
  const rate = (l) => l.n / l.ms;
  return table(
    [first, "committed appends/s", `vs ${base.name}`],
    logs.map((l) => [
      l.name,
      String(Math.round(rate(l) * 1000)),
      `${((rate(l) / rate(base)) * 100).toFixed(0)}%`,
    ]),
  );
}
