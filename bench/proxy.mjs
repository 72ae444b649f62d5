// Issue 7/8 §4: proxy overhead. An MCP `tools/call` (1) direct to a minimal upstream, (2) through
// a bare node:http + undici passthrough (no policy, no audit), (3) through the sidecar (decision,
// committed audit record before forwarding, outcome record after), at 1 and 32 connections, in
// one run with the same load generator (autocannon). Prints p50/p99 and throughput ratios.
//   npm run build && node bench/proxy.mjs [--quick] [--json]
import { fork } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { load } from "./lib/load.mjs";
import { compileYaml, ensureBuilt, ROOT } from "./lib/paracle.mjs";
import { startSidecar } from "./lib/sidecar.mjs";
import { table } from "./lib/stats.mjs";

const PORTS = { upstream: 39670, passthrough: 39675, sidecar: 39680, admin: 39681 };
const POLICY = `apiVersion: paracle.dev/v1
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

function child(file, args) {
  return new Promise((resolve, reject) => {
    const p = fork(join(import.meta.dirname, file), args, {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    p.once("message", () => resolve(p));
    p.once("exit", (code) => reject(new Error(`${file} exited ${code}`)));
  });
}

const body = (i) => ({
  jsonrpc: "2.0",
  id: i,
  method: "tools/call",
  params: { name: "echo", arguments: { text: `hello ${i}` } },
});

export async function runProxy({ quick = false } = {}) {
  ensureBuilt();
  const seconds = quick ? 3 : 10;
  const work = join(ROOT, "bench", "work", "proxy");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const { bundleDir } = compileYaml(work, "ours", POLICY);
  const upstream = await child("proxy-upstream.mjs", [String(PORTS.upstream)]);
  const passthrough = await child("proxy-passthrough.mjs", [
    String(PORTS.passthrough),
    `http://127.0.0.1:${PORTS.upstream}`,
  ]);
  const sidecar = await startSidecar({
    dir: work,
    adminPort: PORTS.admin,
    configYaml: `listen: { host: 127.0.0.1, port: ${PORTS.sidecar} }
admin: { host: 127.0.0.1, port: ${PORTS.admin} }
bundle: { dir: ${JSON.stringify(bundleDir)}, watch: false }
data_dir: ${JSON.stringify(join(work, "data"))}
upstreams: { mcp: { url: "http://127.0.0.1:${PORTS.upstream}", connections: 64 } }
routes: { mcp: [{ path: /mcp, upstream: mcp }] }
agent: { id: bench-agent, roles: [bench] }
mcp: { filter_list: false }
`,
  });
  const bodies = Array.from({ length: 64 }, (_, i) => body(i + 1));
  const headers = { accept: "application/json, text/event-stream" };
  const targets = [
    ["direct", `http://127.0.0.1:${PORTS.upstream}/mcp`],
    ["bare passthrough (node:http + undici)", `http://127.0.0.1:${PORTS.passthrough}/mcp`],
    ["sidecar (decide + committed audit)", `http://127.0.0.1:${PORTS.sidecar}/mcp`],
  ];
  const results = {};
  try {
    for (const connections of [1, 32]) {
      for (const [name, url] of targets) {
        await load({ url, bodies, connections, seconds: 1, headers }); // warm-up (JIT, pools)
        results[`${name}@${connections}`] = await load({
          url,
          bodies,
          connections,
          seconds,
          headers,
        });
      }
    }
  } finally {
    await sidecar.stop();
    upstream.kill();
    passthrough.kill();
  }
  const rows = [];
  for (const connections of [1, 32]) {
    const direct = results[`direct@${connections}`];
    const bare = results[`bare passthrough (node:http + undici)@${connections}`];
    for (const [name] of targets) {
      const r = results[`${name}@${connections}`];
      const mean = (connections * 1000) / r.rps;
      const directMean = (connections * 1000) / direct.rps;
      rows.push([
        name,
        String(connections),
        r.rps.toFixed(0),
        `${mean.toFixed(3)} ms`,
        `+${(mean - directMean).toFixed(3)} ms`,
        `${r.p50} ms`,
        `${r.p99} ms`,
        `+${(r.p50 - direct.p50).toFixed(2)} ms`,
        `${(r.rps / direct.rps).toFixed(2)}×`,
        `${(r.rps / bare.rps).toFixed(2)}×`,
        String(r.errors + r.non2xx),
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
      "vs direct",
      "vs bare passthrough",
      "errors",
    ],
    rows,
  );
  const s1 = results["sidecar (decide + committed audit)@1"];
  const d1 = results["direct@1"];
  const s32 = results["sidecar (decide + committed audit)@32"];
  const b32 = results["bare passthrough (node:http + undici)@32"];
  // autocannon reports whole milliseconds, so the 1-connection overhead is read from the mean
  // latency (1000 / req/s with one connection in flight), which p50 tracks closely at 1 connection
  const added = 1000 / s1.rps - 1000 / d1.rps;
  const targetsMd = [
    `Targets: added latency at 1 connection ${added.toFixed(3)} ms (mean; ≤ 0.3 ms: ${added <= 0.3 ? "met" : "missed"});`,
    `throughput at 32 connections ${(s32.rps / b32.rps).toFixed(2)}× the bare passthrough (≥ 0.8×: ${s32.rps / b32.rps >= 0.8 ? "met" : "missed"}).`,
    `${seconds} s per measurement after a 1 s warm-up; autocannon's percentiles have 1 ms resolution.`,
  ].join(" ");
  return { md: `${md}\n\n${targetsMd}`, results };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runProxy({ quick: process.argv.includes("--quick") });
  console.log(process.argv.includes("--json") ? JSON.stringify(r, null, 2) : r.md);
}
