/**
 * The demo tools: harmless fakes with the names the shipped policy pack governs. Nothing touches
 * the file system, sends mail, moves money or runs a command.
 */

/** Tool descriptors (MCP `Tool`: name, description, JSON Schema input, annotations). */
export const TOOLS = [
  {
    name: "echo",
    description: "Echoes `text`; with `steps` sends that many progress notifications first",
    inputSchema: {
      type: "object",
      properties: {
        text: { type: "string" },
        steps: { type: "integer", minimum: 0, maximum: 20 },
        sleep_ms: { type: "integer", minimum: 0, maximum: 60000 },
      },
      required: ["text"],
    },
    annotations: { readOnlyHint: true },
  },
  {
    name: "files.read",
    description: "Reads a (fake) file",
    inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
    annotations: { readOnlyHint: true },
  },
  {
    name: "files.delete",
    description: "Deletes a (fake) file",
    inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
    annotations: { destructiveHint: true },
  },
  {
    name: "email.send",
    description: "Sends a (fake) email",
    inputSchema: {
      type: "object",
      properties: { to: { type: "string" }, subject: { type: "string" }, body: { type: "string" } },
      required: ["to"],
    },
  },
  {
    name: "payments.refund",
    description: "Refunds an order (fake)",
    inputSchema: {
      type: "object",
      properties: {
        order_id: { type: "string" },
        amount: { type: "number" },
        card_number: { type: "string" },
      },
      required: ["order_id", "amount"],
    },
  },
  {
    name: "shell.exec",
    description: "Runs a shell command (fake: nothing runs)",
    inputSchema: {
      type: "object",
      properties: { command: { type: "string" } },
      required: ["command"],
    },
    annotations: { destructiveHint: true },
  },
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a tool; returns a plain JSON result. `progress(n, total)` reports progress when the
 * caller asked for it.
 */
export async function runTool(name, args, progress) {
  const a = args ?? {};
  switch (name) {
    case "echo": {
      for (let i = 1; i <= (a.steps ?? 0); i++) {
        await progress?.(i, a.steps);
        await sleep(5);
      }
      if (a.sleep_ms) await sleep(Math.min(a.sleep_ms, 60_000));
      return { text: String(a.text ?? "") };
    }
    case "files.read":
      return { path: a.path, content: `contents of ${a.path} (demo)` };
    case "files.delete":
      return { path: a.path, deleted: true };
    case "email.send":
      return { to: a.to, queued: true, message_id: `demo-${Date.now()}` };
    case "payments.refund":
      return { order_id: a.order_id, amount: a.amount, refunded: true, card_number: a.card_number };
    case "shell.exec":
      return { command: a.command, exit_code: 0, stdout: "(demo: nothing was run)" };
    default:
      return undefined;
  }
}
