/**
 * Transpiles the audit trail's sources to plain ESM JavaScript in a temporary directory, so a
 * child `node` process (crash tests) runs the real code without a build step.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

const ROOT = resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

/** Returns the temporary root; the audit index is at `<root>/runtime/audit/index.js`. */
export function transpileAudit(): string {
  const out = mkdtempSync(join(tmpdir(), "paracle-audit-js-"));
  symlinkSync(join(ROOT, "node_modules"), join(out, "node_modules"));
  const files = [...sources(join(ROOT, "runtime/audit")), join(ROOT, "runtime/clock.ts")];
  for (const file of files) {
    const js = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    }).outputText;
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, js);
  }
  return out;
}
