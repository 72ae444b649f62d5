// Issue 7/8 §4: proxy overhead. An MCP `tools/call` (1) direct to a minimal upstream, (2) through
// a bare node:http + undici passthrough (no policy, no audit), (3) through the sidecar (decision,
// committed audit record before forwarding, outcome record after), and (4) the same sidecar with
// an in-memory audit stand-in (its data plane alone), side by side in one run.
// - 1 connection: a sequential loop on one keep-alive undici connection, timed per request with
//   hrtime (µs resolution; closed loop with one request in flight, so no coordinated omission);
// - 32 connections: autocannon (throughput; its percentiles have 1 ms resolution).
// Prints p50/p99, req/s, the ratio to the bare passthrough and the p50 added over direct.
//   npm run build && node bench/proxy.mjs [--quick] [--json]
import { fork } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Client } from "undici";
import { load } from "./lib/load.mjs";
import { compileYaml, ensureBuilt, ROOT } from "./lib/paracle.mjs";
import { startSidecar } from "./lib/sidecar.mjs";
import { percentile, table } from "./lib/stats.mjs";

const PORTS = {
  upstream: 39670,
  passthrough: 39675,
  sidecar: 39680,
  admin: 39681,
  mem: 39684,
  memAdmin: 39685,
};
export const POLICY = `apiVersion: paracle.dev/v1
kind: PolicySet
metadata: { name: proxy-bench }
policies:
  - id: allow-echo
    type: allow
    match: { actions: [echo] }
  - id: deny-shell
    type: deny
    match: { actions: [shell.exec], phase: any }
    reason: shell commands are forbidden
`;

export function sidecarYaml({ port, admin, bundleDir, dataDir, upstreamPort = PORTS.upstream }) {
  return `listen: { host: 127.0.0.1, port: ${port} }
admin: { host: 127.0.0.1, port: ${admin} }
bundle: { dir: ${JSON.stringify(bundleDir)}, watch: false }
data_dir: ${JSON.stringify(dataDir)}
upstreams: { mcp: { url: "http://127.0.0.1:${upstreamPort}", connections: 64 } }
routes: { mcp: [{ path: /mcp, upstream: mcp }] }
agent: { id: bench-agent, roles: [bench] }
mcp: { filter_list: false }
`;
}

export function child(file, args) {
  return new Promise((resolve, reject) => {
    const p = fork(file, args, { stdio: ["ignore", "ignore", "inherit", "ipc"] });
    p.once("message", () => resolve(p));
    p.once("exit", (code) => reject(new Error(`${file} ${args[0] ?? ""} exited ${code}`)));
  });
}

/** The minimal upstream and the bare passthrough in front of it (child processes). */
export async function startUpstreamAndPassthrough(upstreamPort, passthroughPort) {
  const upstream = await child(join(import.meta.dirname, "proxy-upstream.mjs"), [
    `${upstreamPort}`,
  ]);
  try {
    const passthrough = await child(join(import.meta.dirname, "proxy-passthrough.mjs"), [
      `${passthroughPort}`,
      `http://127.0.0.1:${upstreamPort}`,
    ]);
    return [upstream, passthrough];
  } catch (e) {
    upstream.kill();
    throw e;
  }
}

export const requestBody = (i) => ({
  jsonrpc: "2.0",
  id: i,
  method: "tools/call",
  params: { name: "echo", arguments: { text: `hello ${i}` } },
});
const HEADERS = { accept: "application/json, text/event-stream" };

/** One connection, one request in flight: per-request latency with hrtime. */
async function sequential(url, bodies, seconds, warmSeconds) {
  const u = new URL(url);
  const client = new Client(u.origin, { pipelining: 1 });
  const texts = bodies.map((b) => JSON.stringify(b));
  const headers = { "content-type": "application/json", ...HEADERS };
  const once = async (i) => {
    const r = await client.request({
      method: "POST",
      path: u.pathname,
      headers,
      body: texts[i % texts.length],
    });
    await r.body.dump();
    return r.statusCode;
  };
  try {
    const warm = Date.now() + warmSeconds * 1000;
    for (let i = 0; Date.now() < warm; i++) await once(i);
    const samples = [];
    let errors = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(seconds * 1e9);
    for (let i = 0; ; i++) {
      const t0 = process.hrtime.bigint();
      if (t0 >= end) break;
      if ((await once(i)) >= 300) errors++;
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const wallS = Number(process.hrtime.bigint() - start) / 1e9;
    samples.sort((a, b) => a - b);
    return {
      rps: samples.length / wallS,
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      errors,
      resolution: "µs",
    };
  } finally {
    await client.close();
  }
}

async function concurrent(url, bodies, connections, seconds, warmSeconds) {
  // warm-up (JIT, pools)
  if (warmSeconds) await load({ url, bodies, connections, seconds: warmSeconds, headers: HEADERS });
  const r = await load({ url, bodies, connections, seconds, headers: HEADERS });
  return { rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors + r.non2xx, resolution: "ms" };
}

/** Median of each figure over rounds (errors are summed). */
function medianOf(list) {
  const med = (k) => {
    const v = list.map((r) => r[k]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  return {
    rps: med("rps"),
    p50: med("p50"),
    p99: med("p99"),
    errors: list.reduce((a, r) => a + r.errors, 0),
    resolution: list[0].resolution,
    rounds: list.length,
  };
}

export async function runProxy({ quick = false } = {}) {
  ensureBuilt();
  const rounds = quick ? 1 : 5;
  // --quick (smoke run, the whole `npm run bench -- --quick` under a minute): one short round
  const seconds = quick ? 1 : 4;
  const seqSeconds = quick ? 1 : 2;
  const work = join(ROOT, "bench", "work", "proxy");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const { bundleDir } = compileYaml(work, "ours", POLICY);
  const procs = [];
  let sidecar;
  const results = {};
  const targets = [
    ["direct", `http://127.0.0.1:${PORTS.upstream}/mcp`],
    ["bare passthrough (node:http + undici)", `http://127.0.0.1:${PORTS.passthrough}/mcp`],
    ["sidecar (decide + committed audit)", `http://127.0.0.1:${PORTS.sidecar}/mcp`],
    ["sidecar, in-memory audit (data plane alone)", `http://127.0.0.1:${PORTS.mem}/mcp`],
  ];
  try {
    procs.push(...(await startUpstreamAndPassthrough(PORTS.upstream, PORTS.passthrough)));
    const memDir = join(work, "mem");
    mkdirSync(memDir, { recursive: true });
    procs.push(
      await child(import.meta.filename, [
        "--child-sidecar-mem",
        sidecarYaml({
          port: PORTS.mem,
          admin: PORTS.memAdmin,
          bundleDir,
          dataDir: join(memDir, "data"),
        }),
        join(memDir, "sidecar.yaml"),
      ]),
    );
    sidecar = await startSidecar({
      dir: work,
      adminPort: PORTS.admin,
      configYaml: sidecarYaml({
        port: PORTS.sidecar,
        admin: PORTS.admin,
        bundleDir,
        dataDir: join(work, "data"),
      }),
    });
    const bodies = Array.from({ length: 64 }, (_, i) => requestBody(i + 1));
    // rounds alternate the paths so that load from other processes on the shared machine hits
    // them alike; each figure is the median over the rounds
    const runs = {};
    for (const [name] of targets) {
      runs[`${name}@1`] = [];
      runs[`${name}@32`] = [];
    }
    for (let round = 0; round < rounds; round++) {
      const warm = round === 0 ? (quick ? 0.5 : 1) : 0;
      for (const [name, url] of targets) {
        runs[`${name}@1`].push(await sequential(url, bodies, seqSeconds, warm));
        // in a quick run the sequential loop just warmed the path
        runs[`${name}@32`].push(await concurrent(url, bodies, 32, seconds, quick ? 0 : warm));
      }
    }
    for (const [key, list] of Object.entries(runs)) results[key] = medianOf(list);
  } finally {
    await sidecar?.stop();
    for (const p of procs) p.kill();
  }

  const fmt = (ms, res) => (res === "µs" ? `${ms.toFixed(3)} ms` : `${ms} ms`);
  const rows = [];
  for (const c of [1, 32]) {
    const direct = results[`direct@${c}`];
    const bare = results[`${targets[1][0]}@${c}`];
    for (const [name] of targets) {
      const r = results[`${name}@${c}`];
      const added = r.p50 - direct.p50;
      rows.push([
        name,
        String(c),
        r.rps.toFixed(0),
        fmt(r.p50, r.resolution),
        fmt(r.p99, r.resolution),
        name === "direct" ? "—" : `+${fmt(added, r.resolution)}`,
        `${(r.rps / bare.rps).toFixed(2)}×`,
        String(r.errors),
      ]);
    }
  }
  const md = table(
    [
      "path",
      "connections",
      "req/s",
      "p50",
      "p99",
      "p50 over direct",
      "throughput vs bare passthrough",
      "errors",
    ],
    rows,
  );
  const s1 = results[`${targets[2][0]}@1`];
  const d1 = results["direct@1"];
  const m1 = results[`${targets[3][0]}@1`];
  const s32 = results[`${targets[2][0]}@32`];
  const m32 = results[`${targets[3][0]}@32`];
  const b32 = results[`${targets[1][0]}@32`];
  const added = s1.p50 - d1.p50;
  const ratio = s32.rps / b32.rps;
  const summary = {
    addedP50Ms: added,
    ratio32: ratio,
    memAddedP50Ms: m1.p50 - d1.p50,
    memRatio32: m32.rps / b32.rps,
    met: { latency: added <= 0.3, throughput: ratio >= 0.8 },
  };
  const notes = [
    `Targets (sidecar with committed audit): added p50 at 1 connection ${added.toFixed(3)} ms (≤ 0.3 ms: ${summary.met.latency ? "met" : "missed"}); throughput at 32 connections ${ratio.toFixed(2)}× the bare passthrough (≥ 0.8×: ${summary.met.throughput ? "met" : "missed"}).`,
    `Data plane alone (in-memory audit that resolves on the next turn of the event loop): +${summary.memAddedP50Ms.toFixed(3)} ms p50, ${summary.memRatio32.toFixed(2)}× the passthrough.`,
    `${rounds} round(s) alternating the paths, median per figure, ${quick ? "0.5" : "1"} s warm-up per path first. 1 connection: ${seqSeconds} s sequential per path and round, µs timing; 32 connections: autocannon ${seconds} s per path and round (1 ms percentile resolution). Load generator on the same cores.`,
  ].join("\n");
  return { md: `${md}\n\n${notes}`, results, summary };
}

/** `--child-sidecar-mem <yaml> <file>`: the sidecar with an in-memory audit stand-in. */
async function childSidecarMem(yaml, file) {
  const { writeFileSync } = await import("node:fs");
  writeFileSync(file, yaml);
  const dist = join(ROOT, "dist", "proxy");
  const { loadConfig } = await import(join(dist, "config", "load.js"));
  const { openRuntimeParts } = await import(join(dist, "parts.js"));
  const { startSidecar: start } = await import(join(dist, "sidecar.js"));
  let n = 0;
  // resolves like a group commit would, on a later turn of the event loop
  const audit = {
    healthy: true,
    append: () => new Promise((resolve) => setImmediate(resolve, ++n)),
  };
  const config = loadConfig(file);
  const sidecar = await start(config, await openRuntimeParts(config, { audit }));
  process.once("SIGTERM", () => sidecar.close().then(() => process.exit(0)));
  process.send?.("ready");
}

if (process.argv[2] === "--child-sidecar-mem") {
  await childSidecarMem(process.argv[3], process.argv[4]);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runProxy({ quick: process.argv.includes("--quick") });
  console.log(process.argv.includes("--json") ? JSON.stringify(r, null, 2) : r.md);
}
