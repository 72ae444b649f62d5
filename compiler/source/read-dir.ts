/**
 * The edge that reads a policy directory: every `*.yaml` / `*.yml` file except test suites
 * (`*_test.yaml`), recursively, skipping dot-directories and node_modules. Paths come back relative
 * to the directory, with `/`, sorted, so bundles never depend on where the directory lives.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { PolicyText } from "./load.js";

export const isPolicyFile = (name: string): boolean =>
  /\.ya?ml$/.test(name) && !/_test\.ya?ml$/.test(name);

export async function readPolicyDir(dir: string): Promise<PolicyText[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new PolicyDirError(dir);
  const out: PolicyText[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && isPolicyFile(e.name)) {
        out.push({ file: relative(dir, p).split(sep).join("/"), text: await readFile(p, "utf8") });
      }
    }
  };
  await walk(dir);
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The policy directory is missing or not a directory (a usage error: exit 2). */
export class PolicyDirError extends Error {
  constructor(readonly dir: string) {
    super(`policy directory \`${dir}\` does not exist or is not a directory`);
    this.name = "PolicyDirError";
  }
}
