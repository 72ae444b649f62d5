import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { ExpressionError, evaluateExpression } from "../../grammar/index.js";

/** Where `paracle eval` writes and reads (injected so tests need no subprocess). */
export interface EvalIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Reads a file path, or standard input for `-`. */
  read(path: string): string;
}

const nodeIO: EvalIO = {
  stdout: process.stdout,
  stderr: process.stderr,
  read: (path) => readFileSync(path === "-" ? 0 : path, "utf8"),
};

/**
 * `paracle eval '<expression>' [--input <ctx.json|->] [--constants <file.json>]`: prints the JSON
 * result and returns 0; prints the diagnostics (or the run-time error) and returns 1; returns 2
 * when the input cannot be read or is not JSON.
 */
export function runEval(
  expression: string,
  opts: { input?: string; constants?: string },
  io: EvalIO = nodeIO,
): number {
  let context: unknown = {};
  let constants: Record<string, unknown> = {};
  try {
    if (opts.input !== undefined) context = JSON.parse(io.read(opts.input));
    if (opts.constants !== undefined) constants = JSON.parse(io.read(opts.constants));
  } catch (e) {
    io.stderr.write(`error: cannot read the input: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    const result = evaluateExpression(expression, context, { constants });
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    io.stderr.write(`${e.message}\n`);
    return 1;
  }
}

/** Registers `paracle eval`. */
export function registerEval(program: Command): void {
  program
    .command("eval <expression>")
    .description("evaluate a condition against a decision input and print the JSON result")
    .option("--input <file>", "decision input as JSON (a file, or - for standard input)")
    .option("--constants <file>", "named constants as a JSON object")
    .action((expression: string, opts: { input?: string; constants?: string }) => {
      process.exitCode = runEval(expression, opts);
    });
}
