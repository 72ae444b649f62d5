// Same-run A/B of the sidecar at one connection, interleaved per request: direct, the bare
// passthrough, sidecar A (this build, dist/) and sidecar B, each request sent to the four paths in
// a fresh random order, so that drift on the shared machine and the order of the calls hit every
// path alike. Two sidecars of the same build differ by a few µs at p50 this way; round-by-round
// runs (bench/proxy.mjs) move by ±50 µs between rounds. Every process idles while the other three
// answer, so the figures are those of a colder sidecar than proxy.mjs's back-to-back loop.
// B is another build (`--b <dir>`: a copy of dist/ made before a change, kept inside the repo so
// that it resolves node_modules, e.g. `.paracle/base/dist`) or this build with the in-memory audit
// stand-in (`--b mem`, the default: the data plane alone).
//   npm run build && node bench/proxy-ab.mjs [--b mem|<dist dir>] [--seconds 20] [--block 1] [--json]
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Client } from "undici";
import { compileYaml, ensureBuilt, ROOT } from "./lib/paracle.mjs";
import { startSidecar } from "./lib/sidecar.mjs";
import { percentile, table } from "./lib/stats.mjs";
import { child, POLICY, requestBody, sidecarYaml, startUpstreamAndPassthrough } from "./proxy.mjs";

const PORTS = {
  upstream: 39970,
  passthrough: 39975,
  a: 39980,
  aAdmin: 39981,
  b: 39984,
  bAdmin: 39985,
};
const HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

export async function runProxyAb({ b = "mem", seconds = 20, block = 1 } = {}) {
  ensureBuilt();
  const work = join(ROOT, "bench", "work", "proxy-ab");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "b"), { recursive: true });
  const { bundleDir } = compileYaml(work, "ours", POLICY);
  const yaml = (port, admin, dataDir) =>
    sidecarYaml({ port, admin, bundleDir, dataDir, upstreamPort: PORTS.upstream });
  const procs = [];
  const sidecars = [];
  try {
    procs.push(...(await startUpstreamAndPassthrough(PORTS.upstream, PORTS.passthrough)));
    sidecars.push(
      await startSidecar({
        dir: work,
        adminPort: PORTS.aAdmin,
        configYaml: yaml(PORTS.a, PORTS.aAdmin, join(work, "data")),
      }),
    );
    const bYaml = yaml(PORTS.b, PORTS.bAdmin, join(work, "b", "data"));
    if (b === "mem") {
      procs.push(
        await child(join(import.meta.dirname, "proxy.mjs"), [
          "--child-sidecar-mem",
          bYaml,
          join(work, "b", "sidecar.yaml"),
        ]),
      );
    } else {
      sidecars.push(
        await startSidecar({
          dir: join(work, "b"),
          adminPort: PORTS.bAdmin,
          configYaml: bYaml,
          cli: join(resolve(b), "cli", "paracle.js"),
        }),
      );
    }
    const paths = [
      ["direct", PORTS.upstream],
      ["bare passthrough", PORTS.passthrough],
      ["A: sidecar (this build)", PORTS.a],
      [b === "mem" ? "B: sidecar, in-memory audit" : `B: sidecar (${b})`, PORTS.b],
    ];
    const clients = paths.map(
      ([, port]) => new Client(`http://127.0.0.1:${port}`, { pipelining: 1 }),
    );
    const texts = Array.from({ length: 64 }, (_, i) => JSON.stringify(requestBody(i + 1)));
    const samples = paths.map(() => []);
    const once = async (k, i) => {
      const t0 = process.hrtime.bigint();
      const r = await clients[k].request({
        method: "POST",
        path: "/mcp",
        headers: HEADERS,
        body: texts[i % 64],
      });
      await r.body.dump();
      if (r.statusCode !== 200) throw new Error(`${paths[k][0]} answered ${r.statusCode}`);
      return Number(process.hrtime.bigint() - t0) / 1e3;
    };
    const order = paths.map((_, k) => k);
    const shuffle = () => {
      for (let j = order.length - 1; j > 0; j--) {
        const x = Math.floor(Math.random() * (j + 1));
        [order[j], order[x]] = [order[x], order[j]];
      }
      return order;
    };
    // block > 1: `block` calls in a row to one path (paths in random order per block), so each
    // sidecar also sees back-to-back calls, as in proxy.mjs — work a sidecar does after answering
    // (the outcome record) then lands before its next call instead of while the others answer
    for (let i = 0; i < 2000; i += block)
      for (const k of shuffle()) for (let j = 0; j < block; j++) await once(k, i + j); // warm-up
    const end = Date.now() + seconds * 1000;
    for (let i = 0; Date.now() < end; i += block)
      for (const k of shuffle())
        for (let j = 0; j < block; j++) samples[k].push(await once(k, i + j));
    for (const c of clients) await c.close();
    for (const s of samples) s.sort((x, y) => x - y);
    const p = (k, q) => percentile(samples[k], q);
    const rows = paths.map(([name], k) => [
      name,
      String(samples[k].length),
      `${p(k, 50).toFixed(1)} µs`,
      `${p(k, 90).toFixed(0)} µs`,
      `${p(k, 99).toFixed(0)} µs`,
      k === 0 ? "—" : `+${(p(k, 50) - p(0, 50)).toFixed(1)} µs`,
    ]);
    const diff = p(3, 50) - p(2, 50);
    const md = `${table(["path", "requests", "p50", "p90", "p99", "p50 over direct"], rows)}\n\nB − A at p50: ${diff >= 0 ? "+" : ""}${diff.toFixed(1)} µs (${seconds} s interleaved, one connection per path, random order per ${block > 1 ? `block of ${block} requests` : "request"}).`;
    return {
      md,
      p50: Object.fromEntries(paths.map(([name], k) => [name, p(k, 50)])),
      diffUs: diff,
    };
  } finally {
    for (const s of sidecars) await s.stop();
    for (const proc of procs) proc.kill("SIGTERM");
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runProxyAb({
    b: arg("--b", "mem"),
    seconds: Number(arg("--seconds", "20")),
    block: Number(arg("--block", "1")),
  });
  console.log(process.argv.includes("--json") ? JSON.stringify(r, null, 2) : r.md);
}
