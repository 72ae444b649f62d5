// The minimal MCP upstream of the proxy benchmark: answers every POST with a JSON-RPC result
// for the request's id (a `tools/call` CallToolResult), JSON response, keep-alive. Nothing else,
// so the numbers measure the hops in front of it.
//   node bench/proxy-upstream.mjs <port>
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 39670);
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let id = null;
    try {
      id = JSON.parse(Buffer.concat(chunks).toString("utf8")).id ?? null;
    } catch {
      // answered with id null
    }
    const body = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"ok"}]}}`;
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => process.send?.("ready"));
