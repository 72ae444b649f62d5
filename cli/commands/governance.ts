import type { Command } from "commander";

/**
 * Registers `paracle governance` and its subcommands. Each subcommand is one `register*` function
 * below, added to `registerGovernance`; `governance risk` (issue 4) plugs in the same way.
 */
export function registerGovernance(program: Command): void {
  const governance = program
    .command("governance")
    .description("evaluate decisions against a compiled bundle");
  registerEvaluate(governance);
  registerRisk(governance);
}

function registerEvaluate(governance: Command): void {
  governance
    .command("evaluate")
    .description("print the decision JSON for one input")
    .requiredOption("--bundle <dir>", "compiled bundle directory")
    .requiredOption("--input <file>", "decision input JSON file, or - for stdin")
    .option("--explain", "for the deciding rules, show the value of every sub-condition")
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (opts: { bundle: string; input: string; explain?: boolean }) => {
      // imported when run: the compiler (ts-morph) stays out of `paracle serve`'s start
      const { evaluateCommand } = await import("../../compiler/index.js");
      process.exitCode = await evaluateCommand({
        bundle: opts.bundle,
        input: opts.input,
        explain: opts.explain === true,
      });
    });
}

function registerRisk(governance: Command): void {
  governance
    .command("risk")
    .description("print the risk breakdown (score, level, each factor) for one input")
    .requiredOption("--bundle <dir>", "compiled bundle directory")
    .requiredOption("--input <file>", "decision input JSON file, or - for stdin")
    .option("--json", "print the risk JSON instead of a table")
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (opts: { bundle: string; input: string; json?: boolean }) => {
      const { riskCommand } = await import("../../compiler/risk/command.js");
      process.exitCode = await riskCommand({
        bundle: opts.bundle,
        input: opts.input,
        json: opts.json === true,
      });
    });
}
