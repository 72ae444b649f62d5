/**
 * Server-Sent Events framing (WHATWG HTML §9.2) for the responses the sidecar rewrites
 * (tools/list filtering, result redaction, held calls). Pass-through streams are never parsed.
 */

export interface SseEvent {
  event?: string;
  id?: string;
  data: string;
  retry?: string;
}

/** Parses a complete SSE body into events (comments dropped, multi-line data joined by `\n`). */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split(/\r\n\r\n|\n\n|\r\r/)) {
    if (!block.trim()) continue;
    const ev: SseEvent = { data: "" };
    const data: string[] = [];
    let any = false;
    for (const line of block.split(/\r\n|\n|\r/)) {
      if (line.startsWith(":")) continue;
      const i = line.indexOf(":");
      const field = i === -1 ? line : line.slice(0, i);
      let value = i === -1 ? "" : line.slice(i + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      any = true;
      if (field === "data") data.push(value);
      else if (field === "event") ev.event = value;
      else if (field === "id") ev.id = value;
      else if (field === "retry") ev.retry = value;
    }
    if (!any) continue;
    ev.data = data.join("\n");
    events.push(ev);
  }
  return events;
}

/** Serialises one event. */
export function formatSse(ev: SseEvent): string {
  let out = "";
  if (ev.id !== undefined) out += `id: ${ev.id}\n`;
  if (ev.event !== undefined) out += `event: ${ev.event}\n`;
  if (ev.retry !== undefined) out += `retry: ${ev.retry}\n`;
  for (const line of ev.data.split("\n")) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** Rewrites the JSON-RPC messages carried by a JSON or SSE body with `fn`. */
export function rewriteMessages(
  body: string,
  contentType: string,
  fn: (message: Record<string, unknown>) => Record<string, unknown>,
): string {
  if (contentType.includes("text/event-stream")) {
    return parseSse(body)
      .map((ev) => {
        if (!ev.data || (ev.event !== undefined && ev.event !== "message")) return formatSse(ev);
        try {
          return formatSse({ ...ev, data: JSON.stringify(apply(JSON.parse(ev.data), fn)) });
        } catch {
          return formatSse(ev);
        }
      })
      .join("");
  }
  return JSON.stringify(apply(JSON.parse(body), fn));
}

function apply(v: unknown, fn: (m: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (Array.isArray(v)) return v.map((x) => apply(x, fn));
  if (v && typeof v === "object") return fn(v as Record<string, unknown>);
  return v;
}
