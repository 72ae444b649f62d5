#!/usr/bin/env node
/**
 * `paracle-compile <policy-dir> --out <bundle-dir> [--sign key.pem] [--strict]` (contract in
 * ARCHITECTURE.md). Exit 0 ok, 1 policy errors, 2 usage/IO errors. Logic lives in compiler/.
 */
import { Command } from "commander";
import { compileCommand } from "../compiler/index.js";
import { packageVersion } from "./version.js";

const program = new Command("paracle-compile")
  .description("compile a directory of YAML policies into a decision bundle")
  .argument("<policy-dir>", "directory of *.yaml policy files")
  .requiredOption("--out <bundle-dir>", "bundle directory to write (replaced atomically)")
  .option("--sign <key.pem>", "Ed25519 private key (PKCS#8 PEM): also write manifest.json.sig")
  .option("--strict", "treat analysis warnings as errors")
  .version(packageVersion())
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
  .action(async (dir: string, opts: { out: string; sign?: string; strict?: boolean }) => {
    process.exitCode = await compileCommand({
      dir,
      out: opts.out,
      sign: opts.sign,
      strict: opts.strict === true,
      compilerVersion: `paracle-compile ${packageVersion()}`,
    });
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(
    `paracle-compile: error: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(2);
});
