// A design measured and not shipped: the sidecar's audit records on a worker thread instead of
// the main thread (bench/lib/worker-audit.mjs). MCP tools/call at 32 connections through the bare
// passthrough, the sidecar as shipped (records committed on the main thread), the sidecar with
// the records committed on a worker thread, and the sidecar with an in-memory audit stand-in (its
// data plane alone), alternating in rounds; median req/s per path and its ratio to the passthrough.
//   npm run build && node bench/proxy-worker.mjs [--rounds 3] [--seconds 3]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "./lib/load.mjs";
import { compileYaml, ensureBuilt, ROOT } from "./lib/paracle.mjs";
import { startSidecar } from "./lib/sidecar.mjs";
import { table } from "./lib/stats.mjs";
import { child, POLICY, requestBody, sidecarYaml, startUpstreamAndPassthrough } from "./proxy.mjs";

const PORTS = { upstream: 40070, passthrough: 40075, sidecar: 40080, mem: 40084, worker: 40088 };
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return Number(i >= 0 ? process.argv[i + 1] : fallback);
};

/** `--child-sidecar-worker <yaml> <file> <audit dir>`: the sidecar with the worker-thread trail. */
async function childSidecarWorker(yaml, file, auditDir) {
  writeFileSync(file, yaml);
  const { WorkerAudit } = await import("./lib/worker-audit.mjs");
  const dist = join(ROOT, "dist", "proxy");
  const { loadConfig } = await import(join(dist, "config", "load.js"));
  const { openRuntimeParts } = await import(join(dist, "parts.js"));
  const { startSidecar: start } = await import(join(dist, "sidecar.js"));
  const audit = new WorkerAudit(auditDir);
  await audit.ready;
  const config = loadConfig(file);
  const sidecar = await start(config, await openRuntimeParts(config, { audit }));
  process.once("SIGTERM", () => sidecar.close().then(() => process.exit(0)));
  process.send?.("ready");
}

async function run({ rounds, seconds }) {
  ensureBuilt();
  const work = join(ROOT, "bench", "work", "proxy-worker");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const { bundleDir } = compileYaml(work, "ours", POLICY);
  const yaml = (port, dir) =>
    sidecarYaml({
      port,
      admin: port + 1,
      bundleDir,
      dataDir: join(work, dir),
      upstreamPort: PORTS.upstream,
    });
  const procs = [];
  let sidecar;
  try {
    procs.push(...(await startUpstreamAndPassthrough(PORTS.upstream, PORTS.passthrough)));
    sidecar = await startSidecar({
      dir: work,
      adminPort: PORTS.sidecar + 1,
      configYaml: yaml(PORTS.sidecar, "data"),
    });
    procs.push(
      await child(join(import.meta.dirname, "proxy.mjs"), [
        "--child-sidecar-mem",
        yaml(PORTS.mem, "mem"),
        join(work, "mem.yaml"),
      ]),
    );
    procs.push(
      await child(import.meta.filename, [
        "--child-sidecar-worker",
        yaml(PORTS.worker, "worker"),
        join(work, "worker.yaml"),
        join(work, "worker-audit"),
      ]),
    );
    const paths = [
      ["bare passthrough (node:http + undici)", PORTS.passthrough],
      ["sidecar as shipped (records on the main thread)", PORTS.sidecar],
      ["sidecar, records on a worker thread (not shipped)", PORTS.worker],
      ["sidecar, in-memory audit (data plane alone)", PORTS.mem],
    ];
    const bodies = Array.from({ length: 64 }, (_, i) => requestBody(i + 1));
    const headers = { accept: "application/json, text/event-stream" };
    const rps = paths.map(() => []);
    for (const [, port] of paths)
      await load({
        url: `http://127.0.0.1:${port}/mcp`,
        bodies,
        connections: 32,
        seconds: 1,
        headers,
      });
    for (let r = 0; r < rounds; r++)
      for (const [k, [, port]] of paths.entries()) {
        const res = await load({
          url: `http://127.0.0.1:${port}/mcp`,
          bodies,
          connections: 32,
          seconds,
          headers,
        });
        if (res.errors || res.non2xx)
          throw new Error(`${paths[k][0]}: ${res.errors + res.non2xx} errors`);
        rps[k].push(res.rps);
      }
    const med = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    const base = med(rps[0]);
    return `${table(
      ["path (32 connections)", "req/s (median)", "vs passthrough", "per round"],
      paths.map(([name], k) => [
        name,
        String(Math.round(med(rps[k]))),
        `${(med(rps[k]) / base).toFixed(2)}×`,
        rps[k].map((x) => Math.round(x)).join(", "),
      ]),
    )}\n\n${rounds} rounds alternating the paths, autocannon ${seconds} s each; load generator on the same cores.`;
  } finally {
    await sidecar?.stop();
    for (const p of procs) p.kill("SIGTERM");
  }
}

if (process.argv[2] === "--child-sidecar-worker") {
  await childSidecarWorker(process.argv[3], process.argv[4], process.argv[5]);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await run({ rounds: arg("--rounds", 3), seconds: arg("--seconds", 3) }));
}
