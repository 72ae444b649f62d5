/**
 * The bundle watcher on a real directory: bursts of writes are debounced into one reload, an
 * unchanged manifest hash and bundle.mjs reload nothing, a refused bundle is reported once per
 * change, and replacing the directory by rename (what `paracle-compile --out` does) is seen every
 * time, not only the first.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BundleWatcher, type ReloadResult } from "./watcher.js";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/** Writes a bundle-shaped directory whose manifest hash matches its bundle.mjs. */
function writeBundleDir(dir: string, source: string, manifestHash = sha(source)): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "bundle.mjs"), source);
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: 1, hash: manifestHash }));
  return sha(source);
}

async function until(fn: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("BundleWatcher", () => {
  let root: string;
  let dir: string;
  let current: string;
  let reloads: number;
  let results: ReloadResult[];
  let watcher: BundleWatcher;

  /** Loads like the sidecar does: refuses a manifest that does not match bundle.mjs. */
  const reload = async () => {
    reloads++;
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    const actual = sha(readFileSync(join(dir, "bundle.mjs"), "utf8"));
    if (m.hash !== actual) {
      throw Object.assign(new Error(`bundle.mjs does not match its manifest hash`), {
        code: "hash_mismatch",
      });
    }
    current = actual;
    return actual;
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "paracle-watch-"));
    dir = join(root, "bundle");
    current = writeBundleDir(dir, "export const v = 1;");
    reloads = 0;
    results = [];
    watcher = new BundleWatcher({
      dir,
      current: () => current,
      reload,
      onResult: (r) => results.push(r),
      debounceMs: 50,
    });
  });
  afterEach(async () => {
    await watcher.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("reloads nothing while the manifest hash and bundle.mjs match the bundle in force", async () => {
    expect(await watcher.check()).toEqual({ status: "unchanged", hash: current });
    expect(reloads).toBe(0);
    expect(results).toEqual([]);
    // force reloads (the admin endpoint) even when unchanged
    expect(await watcher.check(true)).toEqual({ status: "loaded", hash: current });
    expect(reloads).toBe(1);
  });

  it("debounces a burst of writes into one reload of the new bundle", async () => {
    watcher.start();
    const next = sha("export const v = 2;");
    for (let i = 0; i < 5; i++) writeBundleDir(dir, "export const v = 2;");
    await until(() => results.length > 0);
    await new Promise((r) => setTimeout(r, 150));
    expect(results).toEqual([{ status: "loaded", hash: next }]);
    expect(reloads).toBe(1);
  });

  it("refuses a bundle whose bytes changed under an unchanged manifest, once per change", async () => {
    const before = current;
    writeFileSync(join(dir, "bundle.mjs"), "export const v = 'tampered';");
    const r = await watcher.check();
    expect(r).toEqual({
      status: "rejected",
      error: "bundle.mjs does not match its manifest hash",
      code: "hash_mismatch",
    });
    expect(current).toBe(before);
    expect(results).toEqual([r]);
    // the same broken bundle is not reported again by the watcher, only when forced
    await watcher.check();
    expect(results).toHaveLength(1);
    await watcher.check(true);
    expect(results).toHaveLength(2);
  });

  it("sees the directory replaced by rename again and again", async () => {
    watcher.start();
    for (let v = 2; v <= 4; v++) {
      const tmp = join(root, `.bundle.tmp-${v}`);
      const hash = writeBundleDir(tmp, `export const v = ${v};`);
      renameSync(dir, `${tmp}.old`);
      renameSync(tmp, dir);
      rmSync(`${tmp}.old`, { recursive: true });
      await until(() => current === hash);
      expect(results.at(-1)).toEqual({ status: "loaded", hash });
    }
  });

  it("stops watching on stop()", async () => {
    watcher.start();
    await watcher.stop();
    writeBundleDir(dir, "export const v = 9;");
    await new Promise((r) => setTimeout(r, 200));
    expect(reloads).toBe(0);
  });
});
