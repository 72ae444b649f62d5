/**
 * vitest global setup: every test file runs with TMPDIR pointing into one directory per run,
 * removed when the run ends — the tests' temporary logs, bundles and configs (hundreds of
 * `mkdtemp`s) never pile up in the machine's /tmp, whether or not a test cleans up after itself.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "paracle-tests-"));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
