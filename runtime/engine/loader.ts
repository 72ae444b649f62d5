import { createHash, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Clock, systemClock } from "../clock.js";
import type { CompiledBundle } from "../decision/types.js";
import { BundleLoadError } from "./errors.js";
import { type BundleManifest, parseManifest } from "./manifest.js";
import { checkBundleModule } from "./module-shape.js";
import { parsePublicKey, verifyManifestSignature } from "./signature.js";

/** A bundle whose bytes were verified and whose module was imported. */
export interface LoadedBundle {
  /** Absolute path of the bundle directory. */
  dir: string;
  /** sha256 hex of `bundle.mjs` (equal to `manifest.hash`). */
  hash: string;
  manifest: BundleManifest;
  module: CompiledBundle;
  /** True when `manifest.json.sig` was verified with the configured public key. */
  signed: boolean;
  /** Clock time (ms) at which loading finished. */
  loadedAt: number;
}

export interface LoadBundleOptions {
  /** Ed25519 public key (SPKI PEM). When set, the bundle must carry a valid signature. */
  publicKey?: string | KeyObject;
  /** Refuse to load without a public key (so an unsigned bundle can never be loaded). */
  requireSignature?: boolean;
  clock?: Clock;
}

async function readBundleFile(dir: string, name: string): Promise<Buffer | undefined> {
  const file = join(dir, name);
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new BundleLoadError("bundle_file_unreadable", { file, cause: (error as Error).message });
  }
}

async function requireBundleFile(dir: string, name: string): Promise<Buffer> {
  const bytes = await readBundleFile(dir, name);
  if (bytes === undefined)
    throw new BundleLoadError("bundle_file_missing", { file: join(dir, name) });
  return bytes;
}

/**
 * Imports exactly the verified bytes. Importing `bundle.mjs` by its file URL would read the file a
 * second time after the hash check, so a file swapped in between would run unverified code (and be
 * cached under the verified hash). A `data:` URL is keyed by content: a new hash is a fresh module.
 */
async function importVerified(source: Buffer): Promise<Record<string, unknown>> {
  const url = `data:text/javascript;base64,${source.toString("base64")}`;
  try {
    return (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (error) {
    throw new BundleLoadError("module_import_failed", { cause: (error as Error).message });
  }
}

/**
 * Loads a compiled bundle directory: reads `manifest.json`, checks that `hash` is the sha256 of
 * `bundle.mjs`, verifies `manifest.json.sig` when a public key is configured, imports the module
 * and checks its shape. Nothing of the bundle runs before its bytes are verified.
 *
 * @throws {BundleLoadError} with a stable `code` on any missing file, mismatch or bad signature
 * @example
 * const bundle = await loadBundle("dist-bundle", { publicKey: readFileSync("pub.pem", "utf8") });
 */
export async function loadBundle(dir: string, opts: LoadBundleOptions = {}): Promise<LoadedBundle> {
  const root = resolve(dir);
  const clock = opts.clock ?? systemClock;
  const key = opts.publicKey === undefined ? undefined : parsePublicKey(opts.publicKey);
  if (opts.requireSignature && key === undefined) throw new BundleLoadError("public_key_required");

  const manifestFile = join(root, "manifest.json");
  const manifestBytes = await requireBundleFile(root, "manifest.json");
  const source = await requireBundleFile(root, "bundle.mjs");

  // The signature covers the manifest, and the manifest covers bundle.mjs by hash: verify the
  // signature over the exact bytes before trusting anything the manifest says.
  if (key !== undefined) {
    const sig = await readBundleFile(root, "manifest.json.sig");
    if (sig === undefined) throw new BundleLoadError("signature_missing", { dir: root });
    verifyManifestSignature(manifestBytes, sig.toString("utf8"), key, `${manifestFile}.sig`);
  }
  const manifest = parseManifest(manifestBytes, manifestFile);
  const actual = createHash("sha256").update(source).digest("hex");
  if (actual !== manifest.hash) {
    throw new BundleLoadError("hash_mismatch", { actual, expected: manifest.hash });
  }

  const module = checkBundleModule(await importVerified(source));
  return {
    dir: root,
    hash: actual,
    manifest,
    module,
    signed: key !== undefined,
    loadedAt: clock.now(),
  };
}
