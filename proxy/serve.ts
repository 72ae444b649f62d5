/**
 * `paracle serve`: load the config, open the runtime parts, start the sidecar, and shut down
 * gracefully on SIGTERM/SIGINT (stop accepting, drain, flush and close the audit log).
 */

import { loadConfig } from "./config/load.js";
import type { SidecarConfig } from "./config/types.js";
import { openRuntimeParts } from "./parts.js";
import { type Sidecar, startSidecar } from "./sidecar.js";

export interface ServeOptions {
  log?: (line: string) => void;
  env?: Record<string, string | undefined>;
  /** Install SIGTERM/SIGINT handlers (default true). */
  signals?: boolean;
}

/** Starts a sidecar from a config file; resolves once both listeners accept connections. */
export async function serveFromFile(
  configPath: string,
  opts: ServeOptions = {},
): Promise<{ sidecar: Sidecar; config: SidecarConfig }> {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const config = loadConfig(configPath, opts.env);
  const parts = await openRuntimeParts(config);
  const sidecar = await startSidecar(config, parts);
  log(
    `paracle sidecar: data plane ${sidecar.url} (MCP ${config.routes.mcp.map((r) => r.path).join(", ") || "-"}), admin ${sidecar.adminUrl}`,
  );
  log(
    `paracle sidecar: bundle ${sidecar.engine.bundle.hash.slice(0, 12)} from ${config.bundle.dir}, data in ${config.dataDir}`,
  );
  if (opts.signals !== false) {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log(`paracle sidecar: ${signal}, draining`);
      sidecar.close().then(
        () => process.exit(0),
        (e) => {
          process.stderr.write(`paracle sidecar: shutdown failed: ${(e as Error).message}\n`);
          process.exit(1);
        },
      );
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  }
  return { sidecar, config };
}
