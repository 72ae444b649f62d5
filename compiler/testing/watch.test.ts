import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { watchAndRerun } from "./watch.js";

const dir = mkdtempSync(join(tmpdir(), "paracle-watch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves when `cond()` holds, polling every 10 ms for at most `ms`. */
async function until(cond: () => boolean, ms = 3000): Promise<void> {
  for (let waited = 0; !cond(); waited += 10) {
    if (waited > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("watchAndRerun", () => {
  it("runs once, reruns on a YAML change (debounced), ignores other files, stops on abort", async () => {
    writeFileSync(join(dir, "a.yaml"), "x: 1\n");
    let runs = 0;
    const ac = new AbortController();
    const done = watchAndRerun([dir], async () => void runs++, {
      signal: ac.signal,
      debounceMs: 30,
    });
    await until(() => runs === 1);
    writeFileSync(join(dir, "a.yaml"), "x: 2\n");
    writeFileSync(join(dir, "a.yaml"), "x: 3\n");
    await until(() => runs === 2);
    writeFileSync(join(dir, "notes.txt"), "hello\n");
    await new Promise((r) => setTimeout(r, 150));
    expect(runs).toBe(2);
    ac.abort();
    await done;
    writeFileSync(join(dir, "a.yaml"), "x: 4\n");
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(2);
  });

  it("never overlaps runs: a change during a run schedules exactly one more", async () => {
    const listeners: ((file: string | null) => void)[] = [];
    const fake = (_p: string, l: (file: string | null) => void) => {
      listeners.push(l);
      return { close() {} };
    };
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let release: () => void = () => {};
    const ac = new AbortController();
    const done = watchAndRerun(
      ["x"],
      async () => {
        runs++;
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((r) => {
          release = r;
        });
        active--;
      },
      { signal: ac.signal, debounceMs: 1, watch: fake },
    );
    await until(() => runs === 1);
    listeners[0]!("p.yaml");
    listeners[0]!("q.yaml");
    await new Promise((r) => setTimeout(r, 20));
    release();
    await until(() => runs === 2);
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).toBe(2);
    expect(maxActive).toBe(1);
    ac.abort();
    await done;
  });
});
