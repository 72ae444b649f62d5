import type { Command } from "commander";

/** Registers `paracle serve --config sidecar.yaml` (the sidecar proxy, docs/sidecar.md). */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run the sidecar proxy: MCP and HTTP tool calls enforced, audited, approvable")
    .option("-c, --config <file>", "sidecar configuration (YAML)", "sidecar.yaml")
    .action(async (opts: { config: string }) => {
      const { serveFromFile } = await import("../../proxy/index.js");
      await serveFromFile(opts.config);
    });
}
