import type { Command } from "commander";
import {
  ApprovalsApiError,
  ApprovalsClient,
  type BatchBody,
  formatList,
  formatRequest,
  formatStats,
  runDashboard,
} from "../../runtime/approvals/client/index.js";

interface Connection {
  url: string;
  token?: string;
}

function clientOf(cmd: Command): ApprovalsClient {
  const o = cmd.optsWithGlobals<Connection>();
  const token = o.token ?? process.env.PARACLE_ADMIN_TOKEN;
  return new ApprovalsClient({ url: o.url, ...(token ? { token } : {}) });
}

function print(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(value, null, 2) : text()}\n`);
}

/** Runs `fn`; API errors print `error: …` and exit 1 (2 when the sidecar cannot be reached). */
function run<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      if (!(err instanceof ApprovalsApiError)) throw err;
      process.stderr.write(`error: ${err.message}${err.code ? ` [${err.code}]` : ""}\n`);
      process.exitCode = err.status === 0 ? 2 : 1;
    }
  };
}

/**
 * Registers `paracle approvals list|get|approve|reject|cancel|stats|batch|dashboard`, talking to a
 * running sidecar's admin API (`--url`, `--token` or PARACLE_ADMIN_TOKEN).
 */
export function registerApprovals(program: Command): void {
  const cmd = program
    .command("approvals")
    .description("list and decide human approval requests on a running sidecar")
    .option(
      "--url <admin-url>",
      "admin listener URL (default: $PARACLE_ADMIN_URL or http://127.0.0.1:8081)",
      process.env.PARACLE_ADMIN_URL ?? "http://127.0.0.1:8081",
    )
    .option("--token <token>", "admin token (default: $PARACLE_ADMIN_TOKEN)");

  cmd
    .command("list")
    .description("list approval requests (open ones by default), most urgent first")
    .option("--state <states>", "open | all | comma-separated states", "open")
    .option("--role <role>", "only requests this role can approve now")
    .option("--agent <id>", "only this agent's requests")
    .option("--priority <p>", "urgent | high | normal | low")
    .option("--limit <n>", "at most n requests")
    .option("--json", "print JSON")
    .action(
      run(
        async (
          o: {
            state: string;
            role?: string;
            agent?: string;
            priority?: string;
            limit?: string;
            json?: boolean;
          },
          c: Command,
        ) => {
          const rows = await clientOf(c).list({
            state: o.state,
            ...(o.role ? { role: o.role } : {}),
            ...(o.agent ? { agent: o.agent } : {}),
            ...(o.priority ? { priority: o.priority as never } : {}),
            ...(o.limit ? { limit: Number(o.limit) } : {}),
          });
          print(!!o.json, rows, () => formatList(rows, Date.now()));
        },
      ),
    );

  cmd
    .command("get <id>")
    .description("show one request: input, chain, votes")
    .option("--json", "print JSON")
    .action(
      run(async (id: string, o: { json?: boolean }, c: Command) => {
        const r = await clientOf(c).get(id);
        print(!!o.json, r, () => formatRequest(r, Date.now()));
      }),
    );

  for (const verb of ["approve", "reject", "cancel"] as const) {
    cmd
      .command(`${verb} <id>`)
      .description(`${verb} a request as the admin token's principal`)
      .option("--reason <text>", "why (required to reject when the chain says so)")
      .option("--json", "print JSON")
      .action(
        run(async (id: string, o: { reason?: string; json?: boolean }, c: Command) => {
          const r = await clientOf(c)[verb](id, o.reason);
          print(
            !!o.json,
            r,
            () =>
              `${r.id}: ${r.state}${r.state === "pending" ? ` (level ${r.currentLevel + 1} of ${r.chain.levels.length})` : ""}`,
          );
        }),
      );
  }

  cmd
    .command("batch <action>")
    .description("approve or reject many requests, by --ids or by filter")
    .option("--ids <ids>", "comma-separated request ids")
    .option("--role <role>", "open requests this role can approve")
    .option("--agent <id>", "open requests of this agent")
    .option("--priority <p>", "open requests of this priority")
    .option("--reason <text>", "why")
    .option("--json", "print JSON")
    .action(
      run(
        async (
          action: string,
          o: {
            ids?: string;
            role?: string;
            agent?: string;
            priority?: string;
            reason?: string;
            json?: boolean;
          },
          c: Command,
        ) => {
          const body: BatchBody = { action: action as BatchBody["action"] };
          if (o.ids)
            body.ids = o.ids
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean);
          else {
            body.filter = {};
            if (o.role) body.filter.role = o.role;
            if (o.agent) body.filter.agent = o.agent;
            if (o.priority) body.filter.priority = o.priority;
          }
          if (o.reason) body.reason = o.reason;
          const out = await clientOf(c).batch(body);
          print(!!o.json, out, () =>
            [
              ...out.results.map((r) => `${r.id}: ${r.ok ? r.state : `failed: ${r.error}`}`),
              `${out.succeeded} succeeded, ${out.failed} failed`,
            ].join("\n"),
          );
          if (out.failed > 0) process.exitCode = 1;
        },
      ),
    );

  cmd
    .command("stats")
    .description("approval rate, time to decision p50/p90, escalations")
    .option("--json", "print JSON")
    .action(
      run(async (o: { json?: boolean }, c: Command) => {
        const s = await clientOf(c).stats();
        print(!!o.json, s, () => formatStats(s));
      }),
    );

  cmd
    .command("dashboard")
    .description("live view of open requests by priority; keys to approve and reject")
    .option("--role <role>", "only requests this role can approve now")
    .option("--interval <ms>", "poll period in ms", "2000")
    .action(
      run(async (o: { role?: string; interval: string }, c: Command) => {
        const url = c.optsWithGlobals<Connection>().url;
        await runDashboard({
          client: clientOf(c),
          input: process.stdin,
          output: process.stdout,
          intervalMs: Math.max(250, Number(o.interval) || 2000),
          source: url,
          ...(o.role ? { filter: { role: o.role } } : {}),
        });
      }),
    );
}
