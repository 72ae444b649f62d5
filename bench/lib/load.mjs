// One load generator for every HTTP comparison: autocannon, driven programmatically, in this
// process (it shares the machine's cores with the servers it measures, like every side).
import autocannon from "autocannon";

/**
 * Runs `connections` connections for `seconds` against `url`, cycling through `bodies` (JSON
 * POSTs). Returns requests/s and latency percentiles in ms.
 */
export function load({ url, bodies, connections, seconds, headers = {} }) {
  return new Promise((resolve, reject) => {
    const requests = bodies.map((b) => ({
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof b === "string" ? b : JSON.stringify(b),
    }));
    autocannon({ url, connections, duration: seconds, pipelining: 1, requests }, (err, res) => {
      if (err) return reject(err);
      resolve({
        rps: res.requests.average,
        total: res.requests.total,
        p50: res.latency.p50,
        p99: res.latency.p99,
        errors: res.errors + res.timeouts,
        non2xx: res.non2xx,
      });
    });
  });
}
