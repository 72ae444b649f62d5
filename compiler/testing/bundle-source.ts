/**
 * Where the bundle under test comes from: a bundle directory written by `paracle-compile`
 * (`--bundle <dir>`), or bundle source text compiled in memory. Bundles have no imports, so the
 * text is imported as a `data:` URL and nothing touches the disk.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { usageMessages } from "./messages.js";
import { asTestBundle, type TestBundle } from "./test-bundle.js";

/** Raised for problems with the command line or the file system (exit code 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Imports a bundle module from its source text. */
export async function importBundleSource(source: string, origin: string): Promise<TestBundle> {
  const url = `data:text/javascript;base64,${Buffer.from(source, "utf8").toString("base64")}`;
  return asTestBundle(await import(url), origin);
}

/**
 * Imports `<dir>/bundle.mjs`. When `manifest.json` is present its `hash` must equal the sha256 of
 * the bundle bytes (a stale or tampered bundle is a usage error, not a test failure). Signatures
 * are the runtime loader's job.
 */
export async function importBundleDir(dir: string): Promise<TestBundle> {
  const file = join(dir, "bundle.mjs");
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new UsageError(usageMessages.cannotRead(file));
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  let manifestText: string | undefined;
  try {
    manifestText = await readFile(join(dir, "manifest.json"), "utf8");
  } catch {
    manifestText = undefined;
  }
  if (manifestText !== undefined) {
    let manifest: { hash?: unknown };
    try {
      manifest = JSON.parse(manifestText) as { hash?: unknown };
    } catch {
      throw new UsageError(usageMessages.badManifest(join(dir, "manifest.json")));
    }
    if (typeof manifest.hash === "string" && manifest.hash !== hash)
      throw new UsageError(usageMessages.hashMismatch(file));
  }
  // The hash in the query gives each version of the file its own module instance (watch mode).
  const url = `${pathToFileURL(resolve(file)).href}?sha256=${hash}`;
  return asTestBundle(await import(url), dir);
}
