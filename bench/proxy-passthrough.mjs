// The bare passthrough of the proxy benchmark: node:http + an undici Pool, no policy, no audit,
// no parsing; the practical limit of a Node sidecar that the issue measures ours against.
//   node bench/proxy-passthrough.mjs <port> <upstream origin>
import { createServer } from "node:http";
import { Pool } from "undici";

const port = Number(process.argv[2] ?? 39675);
const pool = new Pool(process.argv[3] ?? "http://127.0.0.1:39670", {
  connections: 64,
  pipelining: 1,
});
const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host", "content-length"]);

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const headers = {};
    for (const k in req.headers) if (!HOP.has(k)) headers[k] = req.headers[k];
    pool
      .stream(
        { method: req.method, path: req.url, headers, body: Buffer.concat(chunks) },
        ({ statusCode, headers: h }) => {
          const out = {};
          for (const k in h)
            if (k !== "connection" && k !== "keep-alive" && k !== "transfer-encoding")
              out[k] = h[k];
          res.writeHead(statusCode, out);
          return res;
        },
      )
      .catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => process.send?.("ready"));
