import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testCommand } from "./command.js";

const fixtures = join(import.meta.dirname, "test-helpers/fixtures");
const tiny = join(fixtures, "tiny");

function io(env: Record<string, string | undefined> = {}, isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (s: string) => out.push(s), isTTY },
      stderr: { write: (s: string) => err.push(s) },
      env,
    },
  };
}

describe("testCommand exit codes", () => {
  it("0 when all pass, 1 on failures or a missed threshold, 2 on usage errors", async () => {
    const ok = io();
    expect(await testCommand({ dir: tiny, bundle: tiny }, ok.io)).toBe(0);
    expect(ok.out.join("")).toContain("Tests: 9 passed, 1 skipped, 10 total (1 suite)");
    expect(await testCommand({ dir: join(fixtures, "failing"), bundle: tiny }, io().io)).toBe(1);
    expect(await testCommand({ dir: tiny, bundle: tiny, coverageThreshold: "90%" }, io().io)).toBe(
      1,
    );
    expect(await testCommand({ dir: tiny, bundle: tiny, coverageThreshold: "80" }, io().io)).toBe(
      0,
    );
    const bad = io();
    expect(await testCommand({ dir: tiny, bundle: tiny, format: "tap" }, bad.io)).toBe(2);
    expect(bad.err.join("")).toBe("error: unknown format `tap` (expected pretty, json or junit)\n");
    expect(await testCommand({ dir: tiny, bundle: tiny, coverageThreshold: "lots" }, io().io)).toBe(
      2,
    );
    expect(await testCommand({ dir: join(fixtures, "missing"), bundle: tiny }, io().io)).toBe(2);
  });

  it("colours pretty output on a TTY unless NO_COLOR is set; json and junit are never coloured", async () => {
    const tty = io({}, true);
    await testCommand({ dir: tiny, bundle: tiny }, tty.io);
    expect(tty.out.join("")).toMatch(/\u001b\[32m/);
    const noColor = io({ NO_COLOR: "1" }, true);
    await testCommand({ dir: tiny, bundle: tiny }, noColor.io);
    expect(noColor.out.join("")).not.toMatch(/\u001b\[/);
    const json = io({}, true);
    await testCommand({ dir: tiny, bundle: tiny, format: "json" }, json.io);
    expect(JSON.parse(json.out.join("")).totals.passed).toBe(9);
    const junit = io({}, true);
    await testCommand({ dir: tiny, bundle: tiny, format: "junit" }, junit.io);
    expect(junit.out.join("")).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  });
});
