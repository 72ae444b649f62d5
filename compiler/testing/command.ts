/**
 * The `paracle test` front door: runs the tests, writes the chosen report, returns the exit code
 * (0 all pass, 1 failures / errors in policies or suites / threshold missed, 2 usage errors).
 * The CLI only parses arguments and calls this.
 */
import { UsageError } from "./bundle-source.js";
import { compileForTests } from "./compile-for-tests.js";
import { type PolicyTestOptions, runPolicyTests } from "./policy-tests.js";
import type { TestReport } from "./report.js";
import { shouldColor } from "./reporters/colors.js";
import { formatJson } from "./reporters/json.js";
import { formatJunit } from "./reporters/junit.js";
import { formatPretty } from "./reporters/pretty.js";
import { watchAndRerun } from "./watch.js";

export const reportFormats = ["pretty", "json", "junit"] as const;
export type ReportFormat = (typeof reportFormats)[number];

export interface TestCommandArgs {
  dir: string;
  format?: string;
  coverage?: boolean;
  /** Raw `--coverage-threshold` text (validated here). */
  coverageThreshold?: string;
  watch?: boolean;
  filter?: string;
  bundle?: string;
  verbose?: boolean;
}

export interface TestCommandIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  env: Record<string, string | undefined>;
  /** Stops `--watch` (e.g. on SIGINT). */
  signal?: AbortSignal;
}

type Deps = Pick<PolicyTestOptions, "compile" | "branches" | "now" | "timer">;

/** Runs `paracle test` and returns its exit code. */
export async function testCommand(
  args: TestCommandArgs,
  io: TestCommandIo,
  deps: Deps = {},
): Promise<number> {
  const format = (args.format ?? "pretty") as ReportFormat;
  if (!reportFormats.includes(format)) {
    io.stderr.write(`error: unknown format \`${args.format}\` (expected pretty, json or junit)\n`);
    return 2;
  }
  let threshold: number | undefined;
  if (args.coverageThreshold !== undefined) {
    threshold = Number(args.coverageThreshold.replace(/%$/, ""));
    if (
      args.coverageThreshold.trim() === "" ||
      !Number.isFinite(threshold) ||
      threshold < 0 ||
      threshold > 100
    ) {
      io.stderr.write(
        `error: \`--coverage-threshold\` must be a percentage between 0 and 100, got \`${args.coverageThreshold}\`\n`,
      );
      return 2;
    }
  }
  const options: PolicyTestOptions = {
    dir: args.dir,
    compile: compileForTests,
    ...deps,
    ...(args.bundle !== undefined ? { bundleDir: args.bundle } : {}),
    ...(args.filter !== undefined ? { filter: args.filter } : {}),
    ...(args.coverage ? { coverage: true } : {}),
    ...(threshold !== undefined ? { coverageThreshold: threshold } : {}),
  };
  const once = async (): Promise<number> => {
    try {
      const report = await runPolicyTests(options);
      io.stdout.write(
        render(report, format, shouldColor(io.stdout, io.env), args.verbose === true),
      );
      return report.ok ? 0 : 1;
    } catch (err) {
      if (err instanceof UsageError) {
        io.stderr.write(`error: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
  };
  if (!args.watch) return once();
  const signal = io.signal ?? new AbortController().signal;
  let last = 0;
  const paths = [args.dir, ...(args.bundle !== undefined ? [args.bundle] : [])];
  await watchAndRerun(
    paths,
    async () => {
      if (format === "pretty" && shouldColor(io.stdout, io.env)) io.stdout.write("\u001bc");
      last = await once();
      io.stderr.write(
        `\nwatching ${paths.map((p) => `\`${p}\``).join(", ")} for changes (ctrl-c to stop)\n`,
      );
    },
    { signal },
  );
  return last;
}

function render(
  report: TestReport,
  format: ReportFormat,
  color: boolean,
  verbose: boolean,
): string {
  if (format === "json") return formatJson(report);
  if (format === "junit") return formatJunit(report);
  return formatPretty(report, { color, verbose });
}
