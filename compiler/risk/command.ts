/**
 * `paracle governance risk --bundle <dir> --input <file.json|-> [--json]`: runs the bundle's
 * decision for one input and prints its risk breakdown as a table (or the risk JSON).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { importBundle } from "../bundle-io.js";
import { type CommandIO, EXIT, processIO } from "../commands/io.js";
import { sha256Hex } from "../write/manifest.js";
import { formatRiskTable, type RiskBreakdown } from "./table.js";

export interface RiskCommandOptions {
  bundle: string;
  input: string;
  json?: boolean;
}

export async function riskCommand(
  o: RiskCommandOptions,
  io: CommandIO = processIO,
): Promise<number> {
  let input: unknown;
  try {
    const manifest = JSON.parse(await readFile(join(o.bundle, "manifest.json"), "utf8")) as {
      hash?: string;
    };
    if (manifest.hash !== sha256Hex(await readFile(join(o.bundle, "bundle.mjs")))) {
      throw new Error(
        `\`${join(o.bundle, "bundle.mjs")}\` does not match the hash in its manifest`,
      );
    }
    input = JSON.parse(o.input === "-" ? await io.readStdin() : await readFile(o.input, "utf8"));
  } catch (e) {
    io.stderr(`paracle governance risk: error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.usage;
  }
  const bundle = await importBundle(o.bundle);
  const decision = bundle.decide(input as never) as unknown as {
    decision: string;
    risk: RiskBreakdown;
  };
  if (o.json) io.stdout(`${JSON.stringify(decision.risk, null, 2)}\n`);
  else io.stdout(formatRiskTable(decision.risk, decision.decision));
  return EXIT.ok;
}
