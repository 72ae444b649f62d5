/**
 * Finds test suites: every `*_test.yaml` / `*_test.yml` under a directory (recursively, sorted,
 * skipping `node_modules` and dot-directories) so runs are deterministic.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

export const suiteFilePattern = /_test\.ya?ml$/;

export async function discoverSuiteFiles(dir: string): Promise<string[]> {
  const info = await stat(dir);
  if (info.isFile()) return suiteFilePattern.test(dir) ? [dir] : [];
  const out: string[] = [];
  const walk = async (d: string, depth: number): Promise<void> => {
    if (depth > 32) return;
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const path = join(d, e.name);
      if (e.isDirectory()) await walk(path, depth + 1);
      else if (e.isFile() && suiteFilePattern.test(e.name)) out.push(path);
    }
  };
  await walk(dir, 0);
  return out;
}
