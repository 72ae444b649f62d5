import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AuditTrail } from "../runtime/audit/index.js";
import { transpileAudit } from "./audit-helpers/transpile.js";

const CHILD = join(import.meta.dirname, "audit-helpers/crash-child.mjs");
const jsRoot = transpileAudit();
const dirs: string[] = [jsRoot];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs the child until it has resolved some appends, SIGKILLs it, returns what it printed. */
function runAndKill(
  dir: string,
  durability: string,
  afterMs: number,
): Promise<{ opened: number; resolved: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CHILD, join(jsRoot, "runtime/audit/index.js"), dir, durability],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (!timer && out.includes("\n")) timer = setTimeout(() => child.kill("SIGKILL"), afterMs);
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const guard = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.on("exit", (_code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (signal !== "SIGKILL") return reject(new Error(`child exited on its own: ${err}`));
      const lines = out.split("\n");
      lines.pop(); // an unterminated last line was cut by the kill
      const opened = Number(lines.shift()?.replace("open ", ""));
      resolve({ opened, resolved: lines.map(Number) });
    });
  });
}

describe("audit trail crash safety", () => {
  for (const durability of ["committed", "flushed"] as const) {
    it(`keeps every resolved append across SIGKILLs (${durability})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "paracle-audit-crash-"));
      dirs.push(dir);
      const kills = durability === "committed" ? 7 : 3;
      let total = 0;
      for (let i = 0; i < kills; i++) {
        const { opened, resolved } = await runAndKill(dir, durability, 150 + ((i * 97) % 250));
        expect(resolved.length).toBeGreaterThan(0);
        total += resolved.length;
        const trail = await AuditTrail.open({ path: dir });
        try {
          const report = await trail.verify();
          expect(report.problems).toEqual([]);
          expect(report.ok).toBe(true);
          // the child resumed exactly after the last committed record
          expect(Math.min(...resolved)).toBe(opened);
          // every resolved append is present, in order, unchanged
          for (const seq of resolved) expect(trail.storage.get(seq)?.seq).toBe(seq);
          expect(trail.size).toBeGreaterThan(Math.max(...resolved));
        } finally {
          await trail.close();
        }
      }
      expect(total).toBeGreaterThan(kills * 10);
    });
  }
});
