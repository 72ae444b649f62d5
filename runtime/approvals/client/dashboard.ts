/**
 * `paracle approvals dashboard`: a live terminal view of open requests grouped by priority, with
 * keys to approve and reject. Plain ANSI escape codes (ECMA-48 SGR and cursor controls, xterm's
 * alternate screen) and readline keypress events; the view polls the admin API.
 */
import { emitKeypressEvents } from "node:readline";
import type { ApprovalPriority, ApprovalRequest } from "../types.js";
import { formatDuration, openLevelOf } from "./format.js";

const ESC = "\x1b[";
const RESET = `${ESC}0m`;
const BOLD = `${ESC}1m`;
const DIM = `${ESC}2m`;
const INVERSE = `${ESC}7m`;
const COLOUR: Record<ApprovalPriority, string> = {
  urgent: `${ESC}31m`,
  high: `${ESC}33m`,
  normal: "",
  low: DIM,
};
const ORDER: ApprovalPriority[] = ["urgent", "high", "normal", "low"];

export interface DashboardView {
  requests: ApprovalRequest[];
  /** Index into `requests` of the highlighted row. */
  selected: number;
  now: number;
  width: number;
  height: number;
  source: string;
  /** Last action's outcome or error. */
  status?: string;
  /** Text being typed for a rejection reason, when prompting. */
  prompt?: string;
  updatedAt?: number;
}

function clip(s: string, width: number): string {
  return s.length > width ? `${s.slice(0, Math.max(0, width - 1))}…` : s;
}

/** The whole screen for `v` (cursor home, clear, then lines), as one string. */
export function renderDashboard(v: DashboardView): string {
  const w = Math.max(40, v.width);
  const lines: string[] = [];
  const updated =
    v.updatedAt === undefined ? "loading" : `updated ${formatDuration(v.now - v.updatedAt)} ago`;
  lines.push(
    `${BOLD}${clip(`Paracle approvals: ${v.requests.length} open (${v.source}, ${updated})`, w)}${RESET}`,
  );
  lines.push(`${DIM}${clip("↑/↓ select  a approve  r reject  g refresh  q quit", w)}${RESET}`);
  const rows: string[] = [];
  let selectedRow = 0;
  for (const p of ORDER) {
    const group = v.requests.map((r, i) => [r, i] as const).filter(([r]) => r.priority === p);
    if (group.length === 0) continue;
    rows.push(`${COLOUR[p]}${BOLD}${p.toUpperCase()} (${group.length})${RESET}`);
    for (const [r, i] of group) {
      const text = clip(
        `  ${r.id.slice(0, 12).padEnd(12)}  ${r.agent.id.slice(0, 14).padEnd(14)}  ${r.action
          .slice(0, 22)
          .padEnd(22)}  risk ${String(r.risk.score).padStart(3)}  ${openLevelOf(r).padEnd(18)}  ${
          r.state === "escalated" ? "ESCALATED " : ""
        }expires in ${formatDuration(r.expiresAt - v.now)}`,
        w,
      );
      if (i === v.selected) selectedRow = rows.length;
      rows.push(
        i === v.selected ? `${INVERSE}${text.padEnd(w)}${RESET}` : `${COLOUR[p]}${text}${RESET}`,
      );
    }
  }
  if (v.requests.length === 0) rows.push(`${DIM}  nothing waiting for approval${RESET}`);
  const room = Math.max(1, v.height - 6);
  const start = Math.min(Math.max(0, selectedRow - room + 1), Math.max(0, rows.length - room));
  lines.push("", ...rows.slice(start, start + room));
  const chosen = v.requests[v.selected];
  lines.push("");
  if (v.prompt !== undefined && chosen) {
    lines.push(clip(`reason to reject ${chosen.id}: ${v.prompt}`, w));
  } else if (chosen) {
    lines.push(`${DIM}${clip(`${chosen.id}: ${chosen.decision.reasons.join("; ")}`, w)}${RESET}`);
  }
  if (v.status) lines.push(clip(v.status, w));
  return `${ESC}H${ESC}2J${lines.join("\n")}\n`;
}

/** What the dashboard needs of `ApprovalsClient`. */
export interface DashboardClient {
  list(filter?: { role?: string; agent?: string; priority?: string }): Promise<ApprovalRequest[]>;
  approve(id: string, reason?: string): Promise<ApprovalRequest>;
  reject(id: string, reason?: string): Promise<ApprovalRequest>;
}

export interface DashboardOptions {
  client: DashboardClient;
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  output: NodeJS.WritableStream & { columns?: number; rows?: number };
  /** Poll period (default 2 s). */
  intervalMs?: number;
  now?: () => number;
  filter?: { role?: string; agent?: string; priority?: string };
  source?: string;
}

interface Key {
  name?: string;
  ctrl?: boolean;
  sequence?: string;
}

/**
 * Runs the dashboard until `q` or Ctrl-C. Takes over the terminal (alternate screen, raw mode)
 * and restores it on exit.
 */
export function runDashboard(opts: DashboardOptions): Promise<void> {
  const now = opts.now ?? Date.now;
  const { input, output, client } = opts;
  const state: DashboardView = {
    requests: [],
    selected: 0,
    now: now(),
    width: output.columns ?? 100,
    height: output.rows ?? 30,
    source: opts.source ?? "admin API",
  };
  let busy = false;
  let closed = false;
  const draw = () => {
    if (closed) return;
    state.now = now();
    state.width = output.columns ?? state.width;
    state.height = output.rows ?? state.height;
    output.write(renderDashboard(state));
  };
  const refresh = async () => {
    try {
      const selectedId = state.requests[state.selected]?.id;
      state.requests = await client.list(opts.filter ?? {});
      const keep = state.requests.findIndex((r) => r.id === selectedId);
      state.selected =
        keep >= 0 ? keep : Math.min(state.selected, Math.max(0, state.requests.length - 1));
      state.updatedAt = now();
    } catch (err) {
      state.status = `error: ${err instanceof Error ? err.message : String(err)}`;
    }
    draw();
  };
  const act = async (what: "approve" | "reject", reason?: string) => {
    const r = state.requests[state.selected];
    if (!r || busy) return;
    busy = true;
    try {
      const after =
        what === "approve" ? await client.approve(r.id) : await client.reject(r.id, reason);
      state.status = `${r.id}: ${what === "approve" ? "approved" : "rejected"} (now ${after.state})`;
    } catch (err) {
      state.status = `${r.id}: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      busy = false;
    }
    await refresh();
  };

  return new Promise<void>((resolve) => {
    emitKeypressEvents(input);
    if (input.isTTY && input.setRawMode) input.setRawMode(true);
    input.resume();
    output.write(`${ESC}?1049h${ESC}?25l`);
    const timer = setInterval(() => void refresh(), opts.intervalMs ?? 2_000);
    const quit = () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      input.off("keypress", onKey);
      if (input.isTTY && input.setRawMode) input.setRawMode(false);
      input.pause();
      output.write(`${ESC}?25h${ESC}?1049l`);
      resolve();
    };
    const onKey = (str: string | undefined, key: Key = {}) => {
      if (key.ctrl && key.name === "c") return quit();
      if (state.prompt !== undefined) {
        if (key.name === "return" || key.name === "enter") {
          const reason = state.prompt;
          state.prompt = undefined;
          void act("reject", reason);
        } else if (key.name === "escape") {
          state.prompt = undefined;
          state.status = "rejection cancelled";
        } else if (key.name === "backspace") {
          state.prompt = state.prompt.slice(0, -1);
        } else if (str && !key.ctrl && str >= " ") {
          state.prompt += str;
        }
        return draw();
      }
      switch (key.name ?? str) {
        case "q":
          return quit();
        case "up":
        case "k":
          state.selected = Math.max(0, state.selected - 1);
          return draw();
        case "down":
        case "j":
          state.selected = Math.min(Math.max(0, state.requests.length - 1), state.selected + 1);
          return draw();
        case "a":
          void act("approve");
          return;
        case "r":
          if (state.requests[state.selected]) state.prompt = "";
          return draw();
        case "g":
          void refresh();
          return;
      }
    };
    input.on("keypress", onKey);
    draw();
    void refresh();
  });
}
