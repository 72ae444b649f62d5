// The Cerbos policy decision point, from the `@cerbos/cerbos-linux-x64` npm package, over HTTP on
// loopback (`POST /api/check/resources`).
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);

export function cerbosBinary() {
  return join(require.resolve("@cerbos/cerbos-linux-x64/package.json"), "..", "cerbos-linux-x64");
}

/** Writes the policy and a config into `dir`, starts the server, resolves once it answers. */
export async function startCerbos({ dir, policyYaml, httpPort, grpcPort }) {
  const policies = join(dir, "policies");
  mkdirSync(policies, { recursive: true });
  writeFileSync(join(policies, "tool.yaml"), policyYaml);
  const config = [
    "server:",
    `  httpListenAddr: "127.0.0.1:${httpPort}"`,
    `  grpcListenAddr: "127.0.0.1:${grpcPort}"`,
    "storage:",
    "  driver: disk",
    "  disk:",
    `    directory: ${JSON.stringify(policies)}`,
    "    watchForChanges: false",
    "audit:",
    "  enabled: false",
    "telemetry:",
    "  disabled: true",
    "",
  ].join("\n");
  writeFileSync(join(dir, "config.yaml"), config);
  const child = spawn(
    cerbosBinary(),
    ["server", `--config=${join(dir, "config.yaml")}`, "--log-level=error"],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, CERBOS_NO_TELEMETRY: "1" },
    },
  );
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`cerbos exited: ${stderr.slice(0, 2000)}`);
    try {
      const res = await fetch(`${url}/_cerbos/health`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async check(body) {
      const res = await fetch(`${url}/api/check/resources`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const json = await res.json();
      if (!res.ok) throw new Error(`cerbos ${res.status}: ${JSON.stringify(json).slice(0, 500)}`);
      const actions = json.results?.[0]?.actions ?? {};
      const v = Object.values(actions)[0];
      return v === "EFFECT_ALLOW" ? "allow" : "deny";
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
}
