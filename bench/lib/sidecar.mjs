// Starts the real sidecar (`paracle serve --config ...`) as a child process and waits until its
// admin listener says it is ready.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paracle.mjs";

/** `cli`: another build's `cli/paracle.js` (default: this repo's dist/). */
export async function startSidecar({ dir, configYaml, adminPort, env = {}, nodeArgs = [], cli }) {
  const cfg = join(dir, "sidecar.yaml");
  writeFileSync(cfg, configYaml);
  const child = spawn(
    process.execPath,
    [...nodeArgs, cli ?? join(ROOT, "dist", "cli", "paracle.js"), "serve", "--config", cfg],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, ...env },
    },
  );
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`sidecar exited ${child.exitCode}: ${stderr.slice(0, 2000)}`);
    if (Date.now() > deadline) throw new Error(`sidecar not ready: ${stderr.slice(0, 2000)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${adminPort}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    pid: child.pid,
    readyMs,
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      });
    },
  };
}
