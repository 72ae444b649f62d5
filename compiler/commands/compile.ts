/**
 * `paracle-compile <policy-dir> --out <bundle-dir> [--sign key.pem] [--strict]`: exit 0 ok (warnings
 * printed), 1 policy errors (all printed with code frames), 2 usage or IO errors.
 */
import { readFile } from "node:fs/promises";
import { writeBundle } from "../compile-dir.js";
import { formatDiagnostics } from "../diagnostics/report.js";
import { compilePolicies } from "../pipeline.js";
import { PolicyDirError, readPolicyDir } from "../source/read-dir.js";
import { SigningKeyError, signManifest } from "../write/sign.js";
import { type CommandIO, EXIT, processIO } from "./io.js";

export interface CompileCommandOptions {
  dir: string;
  out: string;
  sign?: string;
  strict?: boolean;
  compilerVersion?: string;
}

export async function compileCommand(
  o: CompileCommandOptions,
  io: CommandIO = processIO,
): Promise<number> {
  let key: string | undefined;
  let texts: Awaited<ReturnType<typeof readPolicyDir>>;
  try {
    if (o.sign !== undefined) {
      key = await readFile(o.sign, "utf8");
      signManifest("{}", key); // fail on a bad key before compiling
    }
    texts = await readPolicyDir(o.dir);
  } catch (e) {
    io.stderr(`paracle-compile: error: ${usageMessage(e, o.sign)}\n`);
    return EXIT.usage;
  }
  if (texts.length === 0) {
    io.stderr(`paracle-compile: error: no policy files (*.yaml, *.yml) found in \`${o.dir}\`\n`);
    return EXIT.usage;
  }
  const result = compilePolicies(texts, { strict: o.strict, compilerVersion: o.compilerVersion });
  if (result.diagnostics.length > 0)
    io.stderr(`${formatDiagnostics(result.diagnostics, result.sources)}\n`);
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.length - errors;
  if (!result.ok) {
    io.stderr(
      `paracle-compile: ${errors} error${errors === 1 ? "" : "s"}${warnings ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}; no bundle written\n`,
    );
    return EXIT.policy;
  }
  try {
    const written = await writeBundle(result, o.out, key);
    io.stdout(
      `compiled ${result.manifest!.policies.length} policies from ${texts.length} file${texts.length === 1 ? "" : "s"} into ${o.out} (${written.join(", ")})${warnings ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}\n`,
    );
  } catch (e) {
    io.stderr(
      `paracle-compile: error: cannot write \`${o.out}\`: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    return EXIT.usage;
  }
  return EXIT.ok;
}

function usageMessage(e: unknown, keyPath: string | undefined): string {
  if (e instanceof PolicyDirError || e instanceof SigningKeyError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === "ENOENT" && keyPath !== undefined && err.path === keyPath)
    return `cannot read the signing key \`${keyPath}\``;
  return err instanceof Error ? err.message : String(e);
}
