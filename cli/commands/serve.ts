import type { Command } from "commander";

/** Registers `paracle serve --config sidecar.yaml` (the sidecar proxy, docs/sidecar.md). */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run the sidecar proxy: MCP and HTTP tool calls enforced, audited, approvable")
    .option("-c, --config <file>", "sidecar configuration (YAML)", "sidecar.yaml")
    .option(
      "--check",
      "check the config, the bundle (and its signature) and the data directory, print what would run, and exit: 0 ok, 1 not runnable, 2 invalid config",
    )
    .action(async (opts: { config: string; check?: boolean }) => {
      if (opts.check) {
        const { checkConfigFile } = await import("../../proxy/check.js");
        const report = await checkConfigFile(opts.config);
        for (const line of report.lines)
          (line.startsWith("error: ") ? process.stderr : process.stdout).write(`${line}\n`);
        process.stdout.write(
          report.ok ? `${opts.config}: ok\n` : `${opts.config}: the sidecar would not start\n`,
        );
        process.exitCode = report.ok ? 0 : 1;
        return;
      }
      const { serveFromFile } = await import("../../proxy/index.js");
      await serveFromFile(opts.config);
    });
}
