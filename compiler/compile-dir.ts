/**
 * The imperative shell around the pure pipeline: read a policy directory, compile, and write the
 * bundle directory atomically (optionally signed).
 */
import { readFile } from "node:fs/promises";
import { type CompileOptions, type CompileResult, compilePolicies } from "./pipeline.js";
import { readPolicyDir } from "./source/read-dir.js";
import { writeDirAtomic } from "./write/atomic.js";
import { signManifest } from "./write/sign.js";

export interface CompileDirResult extends CompileResult {
  /** Files written (names inside the bundle dir), when written. */
  written?: string[];
}

/** Reads `dir` (throws PolicyDirError if missing) and compiles it; writes nothing. */
export async function compilePolicyDir(
  dir: string,
  options: CompileOptions = {},
): Promise<CompileResult> {
  return compilePolicies(await readPolicyDir(dir), options);
}

/**
 * Writes a successful compilation to `outDir` (atomically). With `signingKeyPem`, adds
 * `manifest.json.sig`. Throws SigningKeyError on a bad key, before anything is written.
 */
export async function writeBundle(
  result: CompileResult,
  outDir: string,
  signingKeyPem?: string,
): Promise<string[]> {
  if (!result.ok || !result.files) throw new Error("cannot write a bundle that did not compile");
  const files: Record<string, string> = { ...result.files };
  if (signingKeyPem !== undefined)
    files["manifest.json.sig"] = signManifest(result.files["manifest.json"], signingKeyPem);
  await writeDirAtomic(outDir, files);
  return Object.keys(files).sort();
}

/** Reads a PEM key file (usage errors surface as exceptions with the path). */
export async function readKeyFile(path: string): Promise<string> {
  return readFile(path, "utf8");
}
