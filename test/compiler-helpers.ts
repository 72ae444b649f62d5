/** Helpers for the compiler's end-to-end tests: temp policy dirs and an in-process CLI. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type CommandIO, compileCommand } from "../compiler/index.js";

export function policyDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "paracle-compile-"));
  const dir = join(root, "policies");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export function captureIO(stdin = ""): CommandIO & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
    readStdin: async () => stdin,
  };
  return io;
}

export async function runCompile(
  dir: string,
  out: string,
  extra: { sign?: string; strict?: boolean } = {},
) {
  const io = captureIO();
  const code = await compileCommand({ dir, out, ...extra }, io);
  return { code, out: io.out, err: io.err };
}

export const HEAD = "apiVersion: paracle.dev/v1\nkind: PolicySet\n";
