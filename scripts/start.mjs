#!/usr/bin/env node
/**
 * `npm start`: the quick-start demo on a fresh clone (after `npm ci`).
 * 1. builds `dist/` if it is missing or older than the sources;
 * 2. compiles the shipped policy pack `policies/` into `.paracle/bundle`;
 * 3. starts the demo MCP tool server (127.0.0.1:3001) and the sidecar (examples/sidecar.yaml:
 *    data plane 127.0.0.1:8080, admin 127.0.0.1:8081, LMDB data in `.paracle/data`);
 * 4. prints how to call it.
 */
import { spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["index.ts", "grammar", "compiler", "runtime", "proxy", "cli"];

function newestSource(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return path.endsWith(".ts") && !path.endsWith(".test.ts") ? st.mtimeMs : 0;
  let newest = 0;
  for (const e of readdirSync(path)) {
    if (e === "node_modules") continue;
    newest = Math.max(newest, newestSource(join(path, e)));
  }
  return newest;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`\`${cmd} ${args.join(" ")}\` failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

// 1. build when dist/ is missing or stale
const marker = join(root, "dist", "proxy", "index.js");
const srcTime = Math.max(
  ...SOURCES.filter((s) => existsSync(join(root, s))).map((s) => newestSource(join(root, s))),
);
if (!existsSync(marker) || statSync(marker).mtimeMs < srcTime) {
  console.log("building dist/ (npm run build) ...");
  run(process.execPath, [
    join(root, "node_modules", "typescript", "bin", "tsc"),
    "-p",
    "tsconfig.build.json",
  ]);
}

// 2. compile the shipped policy pack
const bundleDir = join(root, ".paracle", "bundle");
console.log("compiling policies/ → .paracle/bundle ...");
run(process.execPath, [
  join(root, "dist", "cli", "paracle-compile.js"),
  join(root, "policies"),
  "--out",
  bundleDir,
]);

// 3. demo tool server + sidecar (tokens for the demo approvers, unless given)
const tokens = {};
for (const name of ["PARACLE_LEAD_TOKEN", "PARACLE_SECURITY_TOKEN", "PARACLE_FINANCE_TOKEN"]) {
  tokens[name] = process.env[name] ?? randomBytes(18).toString("base64url");
  process.env[name] = tokens[name];
}
// the audit log's checkpoint signing key (examples/sidecar.yaml reads it from PARACLE_AUDIT_KEY):
// made once in .paracle/, kept across runs so every checkpoint verifies with the same public key
const keyFile = join(root, ".paracle", "audit-key.pem");
const pubFile = join(root, ".paracle", "audit-pub.pem");
if (!process.env.PARACLE_AUDIT_KEY) {
  if (!existsSync(keyFile)) {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    writeFileSync(pubFile, publicKey.export({ type: "spki", format: "pem" }));
  }
  process.env.PARACLE_AUDIT_KEY = readFileSync(keyFile, "utf8");
}
const { startDemoToolServer } = await import(
  pathToFileURL(join(root, "examples", "demo-tool-server", "server.mjs")).href
);
const demo = await startDemoToolServer({ port: Number(process.env.DEMO_PORT ?? 3001) });
console.log(`demo tool server on ${demo.url}`);
const { serveFromFile } = await import(pathToFileURL(marker).href);
let sidecar;
try {
  ({ sidecar } = await serveFromFile(join(root, "examples", "sidecar.yaml"), { signals: false }));
} catch (e) {
  console.error(String(e?.message ?? e));
  await demo.close();
  process.exit(1);
}

const S = sidecar.url;
const A = sidecar.adminUrl;
const accept = `-H 'content-type: application/json' -H 'accept: application/json, text/event-stream'`;
console.log(`
Paracle sidecar is running. The agent "support-bot" talks to ${S}; approvers use ${A}.

MCP (Streamable HTTP) — initialize, then call tools with the session id it returns:
  curl -si ${S}/mcp ${accept} \\
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'
  curl -s ${S}/mcp ${accept} -H 'mcp-session-id: <id from above>' \\
    -d '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}'
  curl -s ${S}/mcp ${accept} -H 'mcp-session-id: <id>' \\
    -d '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"shell.exec","arguments":{"command":"id"}}}'   # denied

Plain HTTP tools:
  curl -s ${S}/tools/files.read -H 'content-type: application/json' -d '{"path":"/tmp/notes.txt"}'
  curl -s ${S}/tools/shell.exec -H 'content-type: application/json' -d '{"command":"id"}'       # 403 problem+json
  curl -s ${S}/v1/decide -H 'content-type: application/json' -d '{"action":{"name":"payments.refund"},"args":{"amount":900}}'

Approvals (a held call waits until approved; in another terminal):
  curl -s ${A}/v1/approvals -H 'authorization: Bearer ${tokens.PARACLE_LEAD_TOKEN}'
  curl -s -XPOST ${A}/v1/approvals/<id>/approve -H 'authorization: Bearer ${tokens.PARACLE_LEAD_TOKEN}' -H 'content-type: application/json' -d '{}'
  tokens: team-lead ${tokens.PARACLE_LEAD_TOKEN}  security ${tokens.PARACLE_SECURITY_TOKEN}  finance ${tokens.PARACLE_FINANCE_TOKEN}

Health and metrics:  curl -s ${A}/healthz   curl -s ${A}/metrics
Audit log: .paracle/data/audit, a signed checkpoint every minute and at Ctrl-C. Verify it (also while running):
  node dist/cli/paracle.js audit verify --dir .paracle/data/audit${existsSync(pubFile) ? " --public-key .paracle/audit-pub.pem" : ""}
  node dist/cli/paracle.js audit search --dir .paracle/data/audit --actor support-bot
Ctrl-C stops (drains, signs a last checkpoint, closes the audit log).
`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await sidecar.close().catch((e) => console.error(e));
  await demo.close().catch(() => {});
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
