/**
 * Admin HTTP routes of the approval service (issue 6 §5), mounted by the proxy under
 * `/v1/approvals` behind admin authentication, which sets `c.get("principal")`: every vote is
 * cast as that principal. Errors are RFC 9457 problem details (`application/problem+json`).
 *
 *   GET  /                 list (state, role, agent, priority, limit; default: open requests)
 *   GET  /stats            approval rate, time to decision p50/p90, escalations
 *   GET  /templates        approval templates; GET /templates/:name one of them
 *   GET  /:id              one request
 *   POST /:id/approve      {reason?}
 *   POST /:id/reject       {reason?}
 *   POST /:id/cancel       {reason?}
 *   POST /batch            {action: approve|reject, ids? | filter?: {role, agent, priority}, reason?}
 */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  ApprovalError,
  type ApprovalFilter,
  type ApprovalPriority,
  type ApprovalService,
  type ApprovalState,
  type BatchArgs,
  OPEN_STATES,
  statusOf,
} from "../../runtime/approvals/index.js";
import type { AdminEnv } from "./auth.js";

const PROBLEM = "https://paracle.dev/problems/";
const STATES: readonly ApprovalState[] = [
  "pending",
  "escalated",
  "approved",
  "rejected",
  "expired",
  "cancelled",
];
const PRIORITIES: readonly ApprovalPriority[] = ["urgent", "high", "normal", "low"];
const MAX_REASON = 2_000;
const MAX_IDS = 1_000;

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthenticated",
  403: "Not allowed to decide this request",
  404: "Approval request not found",
  409: "Approval request cannot change this way",
  422: "Request cannot be processed",
  499: "Wait aborted",
  500: "Internal error",
  503: "Approval service unavailable",
};

/** A client error found while reading the request (body or query). */
class BadInput extends Error {}

function problem(c: Context, status: number, detail: string, extra: Record<string, unknown> = {}) {
  const code = typeof extra.code === "string" ? extra.code : `http_${status}`;
  return c.json(
    {
      type: `${PROBLEM}${code.replace(/^approval_/, "approval-").replaceAll("_", "-")}`,
      title: TITLES[status] ?? "Error",
      status,
      detail,
      ...extra,
    },
    status as ContentfulStatusCode,
    { "content-type": "application/problem+json" },
  );
}

function onError(err: unknown, c: Context) {
  if (err instanceof BadInput) return problem(c, 400, err.message, { code: "invalid_request" });
  if (err instanceof ApprovalError) {
    return problem(c, statusOf(err.code), err.message, {
      code: err.code,
      ...(err.help ? { help: err.help } : {}),
    });
  }
  return problem(c, 500, "the approval service failed; see the sidecar log", {
    code: "internal_error",
  });
}

async function readBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadInput("the request body is not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new BadInput("the request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

function known(body: Record<string, unknown>, allowed: string[], where: string): void {
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) {
      throw new BadInput(
        `unknown field \`${k}\` in ${where}; expected ${allowed.map((a) => `\`${a}\``).join(", ")}`,
      );
    }
  }
}

function optString(body: Record<string, unknown>, key: string, max = 200): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new BadInput(`\`${key}\` must be a string`);
  if (v.length > max) throw new BadInput(`\`${key}\` is longer than ${max} characters`);
  return v;
}

function readReason(body: Record<string, unknown>): string | undefined {
  known(body, ["reason"], "the body");
  return optString(body, "reason", MAX_REASON);
}

function priorityOf(v: string | undefined): ApprovalPriority | undefined {
  if (v === undefined) return undefined;
  if (!(PRIORITIES as string[]).includes(v)) {
    throw new BadInput(
      `unknown priority \`${v}\`; expected ${PRIORITIES.map((p) => `\`${p}\``).join(", ")}`,
    );
  }
  return v as ApprovalPriority;
}

function readFilter(q: Record<string, string | undefined>): ApprovalFilter {
  const filter: ApprovalFilter = {};
  const state = q.state;
  if (state === undefined || state === "open") filter.state = [...OPEN_STATES];
  else if (state !== "all") {
    const states = state.split(",").map((s) => s.trim());
    for (const s of states) {
      if (!(STATES as string[]).includes(s)) {
        throw new BadInput(
          `unknown state \`${s}\`; expected ${STATES.map((x) => `\`${x}\``).join(", ")}, \`open\` or \`all\``,
        );
      }
    }
    filter.state = states as ApprovalState[];
  }
  if (q.role) filter.role = q.role;
  if (q.agent) filter.agent = q.agent;
  const priority = priorityOf(q.priority || undefined);
  if (priority) filter.priority = priority;
  if (q.limit !== undefined) {
    const n = Number(q.limit);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) {
      throw new BadInput(`\`limit\` must be a whole number from 1 to 10000, not \`${q.limit}\``);
    }
    filter.limit = n;
  }
  return filter;
}

function readBatch(body: Record<string, unknown>): BatchArgs {
  known(body, ["action", "ids", "filter", "reason"], "the batch body");
  const action = body.action;
  if (action !== "approve" && action !== "reject") {
    throw new BadInput("`action` must be `approve` or `reject`");
  }
  const args: BatchArgs = { action };
  const reason = optString(body, "reason", MAX_REASON);
  if (reason !== undefined) args.reason = reason;
  if (body.ids !== undefined) {
    if (!Array.isArray(body.ids) || !body.ids.every((x) => typeof x === "string")) {
      throw new BadInput("`ids` must be an array of request ids");
    }
    if (body.ids.length > MAX_IDS) throw new BadInput(`\`ids\` holds more than ${MAX_IDS} ids`);
    args.ids = [...new Set(body.ids as string[])];
  }
  if (body.filter !== undefined) {
    const f = body.filter;
    if (f === null || typeof f !== "object" || Array.isArray(f)) {
      throw new BadInput("`filter` must be an object");
    }
    const fo = f as Record<string, unknown>;
    known(fo, ["role", "agent", "priority"], "`filter`");
    const filter: NonNullable<BatchArgs["filter"]> = {};
    const role = optString(fo, "role");
    const agent = optString(fo, "agent");
    const priority = priorityOf(optString(fo, "priority"));
    if (role !== undefined) filter.role = role;
    if (agent !== undefined) filter.agent = agent;
    if (priority !== undefined) filter.priority = priority;
    args.filter = filter;
  }
  if ((args.ids === undefined) === (args.filter === undefined)) {
    throw new BadInput("give either `ids` or `filter`");
  }
  if (args.filter && Object.keys(args.filter).length === 0) {
    throw new BadInput(
      "an empty `filter` would select every open request; name a role, agent or priority",
    );
  }
  return args;
}

/**
 * The approval routes for `service`. Mount behind a middleware that sets `principal`.
 *
 * @example
 * app.use("/v1/*", requirePrincipal(authenticate));
 * app.route("/v1/approvals", approvalRoutes(service));
 */
export function approvalRoutes(service: ApprovalService): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.onError(onError);
  app.notFound((c) =>
    problem(c, 404, `no route ${c.req.method} ${c.req.path}`, { code: "no_route" }),
  );
  app.use(async (c, next) => {
    const p = c.get("principal");
    if (!p || typeof p.id !== "string") {
      return problem(c, 401, "missing admin credential", { code: "unauthenticated" });
    }
    await next();
  });

  app.get("/", async (c) => {
    const requests = await service.list(readFilter(c.req.query()));
    return c.json({ count: requests.length, requests });
  });
  app.get("/stats", async (c) => c.json(await service.stats()));
  app.get("/templates", (c) => {
    const all = service.templates();
    return c.json({
      templates: Object.keys(all)
        .sort()
        .map((name) => ({ name, ...all[name] })),
    });
  });
  app.get("/templates/:name", (c) => {
    const name = c.req.param("name");
    const all = service.templates();
    if (!Object.hasOwn(all, name)) {
      return problem(c, 404, `unknown approval template \`${name}\``, {
        code: "approval_unknown_template",
        title: "Approval template not found",
      });
    }
    return c.json({ name, ...all[name] });
  });
  app.post("/batch", async (c) => {
    const args = readBatch(await readBody(c));
    return c.json(await service.batch(args, c.get("principal")));
  });
  app.get("/:id", async (c) => c.json(await service.get(c.req.param("id"))));
  app.post("/:id/approve", async (c) => {
    const reason = readReason(await readBody(c));
    return c.json(await service.approve(c.req.param("id"), c.get("principal"), reason));
  });
  app.post("/:id/reject", async (c) => {
    const reason = readReason(await readBody(c));
    return c.json(await service.reject(c.req.param("id"), c.get("principal"), reason));
  });
  app.post("/:id/cancel", async (c) => {
    const reason = readReason(await readBody(c));
    const p = c.get("principal");
    return c.json(await service.cancel(c.req.param("id"), { ...p, kind: "user" }, reason));
  });
  return app;
}
