import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { notificationOf, WebhookNotifier } from "./notifier.js";
import { requestFor } from "./test-helpers/fixtures.js";

describe("WebhookNotifier", () => {
  it("posts JSON, retries 5xx with back-off, never blocks the caller", async () => {
    const bodies: unknown[] = [];
    let calls = 0;
    const server = createServer((req, res) => {
      let data = "";
      req.on("data", (c) => {
        data += c;
      });
      req.on("end", () => {
        calls++;
        if (calls < 3) {
          res.writeHead(503).end();
          return;
        }
        bodies.push(JSON.parse(data));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const n = new WebhookNotifier({
        url,
        baseDelayMs: 1,
        headers: { authorization: "Bearer t" },
      });
      // never blocks: notify returns nothing to await, and nothing has reached the server yet
      expect(n.notify(notificationOf("requested", requestFor(), 42))).toBeUndefined();
      expect(calls).toBe(0);
      await n.flush();
      expect(calls).toBe(3);
      expect(n.counts).toEqual({ delivered: 1, failed: 0, retries: 2, dropped: 0 });
      expect(bodies[0]).toMatchObject({
        kind: "requested",
        at: 42,
        request: { state: "pending", action: "db.delete", roles: ["lead"], priority: "high" },
      });
      expect(JSON.stringify(bodies[0])).not.toContain("hunter2");
    } finally {
      server.close();
    }
  });

  it("gives up on a 4xx at once and counts the failure", async () => {
    let calls = 0;
    const n = new WebhookNotifier({
      url: "http://127.0.0.1:1/x",
      baseDelayMs: 1,
      fetch: async () => {
        calls++;
        return new Response("no", { status: 400 });
      },
    });
    n.notify(notificationOf("decided", requestFor(), 1));
    await n.flush();
    expect(calls).toBe(1);
    expect(n.counts.failed).toBe(1);
  });
});
