/** Human-readable text of a verification report (used by `paracle audit verify`). */
import type { VerifyReport } from "./types.js";

export function formatVerifyReport(r: VerifyReport): string {
  const rate = r.ms > 0 ? Math.round((r.size / r.ms) * 1000) : 0;
  const head = r.ok
    ? `ok: ${r.size} records verified (${r.checked} with bodies, ${r.pruned} pruned), ${r.checkpointsChecked} checkpoint roots matched, root ${r.root}`
    : `FAILED: first bad record ${r.firstBad?.seq} (${r.firstBad?.kind}): ${r.firstBad?.message}`;
  const rest = r.ok
    ? []
    : r.problems.slice(1, 20).map((p) => `  also record ${p.seq} (${p.kind}): ${p.message}`);
  return [head, ...rest, `${Math.round(r.ms)} ms, ${rate} records/s`].join("\n");
}
