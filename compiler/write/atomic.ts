/**
 * Writes the bundle directory atomically: files go to a fresh sibling temp directory which then
 * replaces the target by rename, so a reader never sees a half-written bundle and a failure leaves
 * the previous bundle untouched.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

export async function writeDirAtomic(outDir: string, files: Record<string, string>): Promise<void> {
  const target = resolve(outDir);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.${basename(target)}.tmp-`));
  try {
    for (const name of Object.keys(files).sort())
      await writeFile(join(tmp, name), files[name]!, "utf8");
    const old = `${tmp}.old`;
    let moved = false;
    try {
      await rename(target, old);
      moved = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    try {
      await rename(tmp, target);
    } catch (e) {
      if (moved) await rename(old, target);
      throw e;
    }
    if (moved) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
