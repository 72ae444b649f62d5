import type { Command } from "commander";

/** Registers `paracle test <dir>`: runs the `*_test.yaml` policy test suites of a directory. */
export function registerTest(program: Command): void {
  program
    .command("test <dir>")
    .description("run the *_test.yaml policy test suites of a directory")
    .option("--format <format>", "report format: pretty, json or junit", "pretty")
    .option("--coverage", "report which rules and condition branches the cases exercised")
    .option("--coverage-threshold <pct>", "fail when rule coverage is below this percentage")
    .option("--watch", "rerun when a policy or suite file changes")
    .option(
      "--filter <pattern>",
      "run only cases whose `suite/name` matches (substring, glob or /regex/)",
    )
    .option("--bundle <dir>", "test this compiled bundle instead of compiling <dir>")
    .option("--verbose", "list passing cases too")
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (dir: string, opts: Record<string, string | boolean | undefined>) => {
      const ac = new AbortController();
      // Only watch mode stops on ctrl-c; otherwise SIGINT keeps its default (exit at once).
      if (opts.watch === true) process.once("SIGINT", () => ac.abort());
      // imported when run: the compiler (ts-morph) stays out of the other commands' start
      const { testCommand } = await import("../../compiler/testing/index.js");
      process.exitCode = await testCommand(
        {
          dir,
          format: opts.format as string,
          coverage: opts.coverage === true,
          coverageThreshold: opts.coverageThreshold as string | undefined,
          watch: opts.watch === true,
          filter: opts.filter as string | undefined,
          bundle: opts.bundle as string | undefined,
          verbose: opts.verbose === true,
        },
        { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: ac.signal },
      );
    });
}
