/**
 * Hot reload of the bundle directory: `fs.watch` events are debounced, the manifest hash and the
 * bytes of bundle.mjs are compared with the loaded bundle's hash (unchanged ⇒ nothing happens), then the bundle is loaded and
 * verified in full (hash, signature) before the engine swaps to it atomically. A bundle that fails
 * to load is refused and the previous one stays in force.
 *
 * Invariant: replacing the directory itself (what `paracle-compile --out` does: write a sibling,
 * rename it over) is seen every time. `fs.watch` follows the inode (inotify), so a watcher on the
 * directory alone goes deaf after the first swap; the parent is watched for the directory's name
 * and the directory watcher is re-armed on the new inode.
 */
import { createHash } from "node:crypto";
import { type FSWatcher, watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export type ReloadResult =
  | { status: "loaded"; hash: string }
  | { status: "unchanged"; hash: string }
  | { status: "rejected"; error: string; code?: string };

export interface BundleWatcherOptions {
  dir: string;
  /** Hash of the bundle in force. */
  current: () => string;
  /** Loads, verifies and swaps; throws to refuse. Returns the new hash. */
  reload: () => Promise<string>;
  onResult?: (result: ReloadResult) => void;
  debounceMs?: number;
}

export class BundleWatcher {
  #watcher: FSWatcher | undefined;
  #parent: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<ReloadResult> | undefined;
  #again = false;
  /** Manifest hash last refused, so the same broken bundle is reported once per change. */
  #lastRejected: string | undefined;

  constructor(private readonly opts: BundleWatcherOptions) {}

  start(): void {
    const name = basename(this.opts.dir);
    this.#parent = watch(dirname(this.opts.dir), (_event, file) => {
      if (file !== null && file.toString() !== name) return;
      this.#armDir();
      this.#schedule();
    });
    this.#parent.on("error", () => {
      // the parent went away: keep the bundle in force; a later `check()` reports it
    });
    this.#armDir();
  }

  /** (Re-)watches the directory's current inode; a missing directory is watched via its parent. */
  #armDir(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    try {
      this.#watcher = watch(this.opts.dir, () => this.#schedule());
      this.#watcher.on("error", () => {
        // the directory was replaced or removed: the parent watcher re-arms
      });
    } catch {
      // not there (yet): the parent watcher sees it appear
    }
  }

  async stop(): Promise<void> {
    this.#parent?.close();
    this.#watcher?.close();
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  /** Checks the directory now (also the admin `POST /v1/bundle/reload`). */
  check(force = false): Promise<ReloadResult> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#check(force).finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.#schedule();
      }
    });
    return this.#running;
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.check(), this.opts.debounceMs ?? 150);
    this.#timer.unref();
  }

  async #check(force: boolean): Promise<ReloadResult> {
    let manifestHash: string | undefined;
    try {
      const m = JSON.parse(await readFile(join(this.opts.dir, "manifest.json"), "utf8"));
      manifestHash = typeof m?.hash === "string" ? m.hash : undefined;
    } catch {
      manifestHash = undefined;
    }
    const current = this.opts.current();
    // the manifest alone is not enough: a replaced bundle.mjs under an unchanged manifest is a
    // tampered bundle, reported (and refused) rather than ignored
    const fileHash = await readFile(join(this.opts.dir, "bundle.mjs")).then(
      (b) => createHash("sha256").update(b).digest("hex"),
      () => undefined,
    );
    if (!force && manifestHash === current && fileHash === current) {
      return { status: "unchanged", hash: current };
    }
    let result: ReloadResult;
    try {
      result = { status: "loaded", hash: await this.opts.reload() };
      this.#lastRejected = undefined;
    } catch (e) {
      const key = `${manifestHash}:${(e as Error).message}`;
      result = {
        status: "rejected",
        error: (e as Error).message,
        code: (e as { code?: string }).code,
      };
      if (key === this.#lastRejected && !force) return result;
      this.#lastRejected = key;
    }
    this.opts.onResult?.(result);
    return result;
  }
}
