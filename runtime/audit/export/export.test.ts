import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leafHash } from "../merkle.js";
import { canonicalBytes } from "../record.js";
import { AuditTrail } from "../trail.js";
import type { AuditRecord } from "../types.js";
import { verifyExport } from "../verify-export.js";
import { CSV_COLUMNS } from "./csv.js";
import { AuditExporter } from "./index.js";

const NASTY = 'a|b=c\\d]e"f\nnew\rline,g';
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const dir = mkdtempSync(join(tmpdir(), "paracle-audit-export-"));
let trail: AuditTrail;
let records: AuditRecord[];

beforeAll(async () => {
  trail = await AuditTrail.open({
    path: join(dir, "log"),
    signingKey: privateKey,
    clock: { now: () => 1_700_000_000_000 },
  });
  records = [];
  for (let i = 0; i < 12; i++) {
    records.push(
      await trail.append({
        type: i % 2 ? "agent.action" : "policy.evaluation",
        actor: { id: i === 3 ? NASTY : `agent-${i}`, kind: "agent" },
        ...(i % 3 ? { action: i === 4 ? NASTY : "db.delete" } : {}),
        ...(i === 5 ? { resource: "" } : { resource: `r/${i}` }),
        risk: { score: i * 9, level: i > 8 ? "critical" : "low" },
        policy: { decision: i % 2 ? "deny" : "allow", matched: ["p1", NASTY], bundle: "abc" },
        outcome: i % 2 ? "denied" : "success",
        context: { nasty: NASTY, n: i, nested: { ok: true } },
        correlation_id: `c-${i}`,
        ...(i === 7 ? { session_id: NASTY } : {}),
      }),
    );
  }
});
afterAll(async () => {
  await trail.close();
  rmSync(dir, { recursive: true, force: true });
});

async function exportText(format: string, extra: Record<string, unknown> = {}): Promise<string> {
  let text = "";
  const out = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  const n = await new AuditExporter(trail.storage).export(out, {
    format,
    progress: false,
    hostname: "host-1",
    ...extra,
  });
  expect(n).toBe(12);
  return text;
}

/** RFC 4180 parser that keeps quoted-empty ("") apart from absent (no quotes). */
function parseCsv(text: string): (string | undefined)[][] {
  const rows: (string | undefined)[][] = [];
  let row: (string | undefined)[] = [];
  let i = 0;
  while (i < text.length) {
    let field: string | undefined;
    if (text[i] === '"') {
      field = "";
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else field += text[i++];
      }
    } else {
      let j = i;
      while (j < text.length && text[j] !== "," && text[j] !== "\r") j++;
      field = j > i ? text.slice(i, j) : undefined;
      i = j;
    }
    row.push(field);
    if (text[i] === ",") i++;
    else if (text[i] === "\r" && text[i + 1] === "\n") {
      rows.push(row);
      row = [];
      i += 2;
    }
  }
  return rows;
}

describe("exports", () => {
  it("round-trips CSV: every field, re-hashing to the stored hash", async () => {
    const rows = parseCsv(await exportText("csv"));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(13);
    rows.slice(1).forEach((row, i) => {
      const f = Object.fromEntries(CSV_COLUMNS.map((c, j) => [c, row[j]]));
      const r: Record<string, unknown> = {
        v: Number(f.v),
        seq: Number(f.seq),
        timestamp: Number(f.timestamp),
        type: f.type,
        actor: { id: f.actor_id, kind: f.actor_kind },
        outcome: f.outcome,
        prev_hash: f.prev_hash,
      };
      if (f.action !== undefined) r.action = f.action;
      if (f.resource !== undefined) r.resource = f.resource;
      if (f.risk_score !== undefined) r.risk = { score: Number(f.risk_score), level: f.risk_level };
      if (f.policy_decision !== undefined) {
        r.policy = {
          decision: f.policy_decision,
          matched: JSON.parse(f.policy_matched!),
          bundle: f.policy_bundle,
        };
      }
      if (f.context !== undefined) r.context = JSON.parse(f.context);
      for (const k of ["correlation_id", "session_id", "workflow_id"])
        if (f[k] !== undefined) r[k] = f[k];
      expect({ ...r, hash: f.hash }).toEqual(records[i]);
      expect(leafHash(canonicalBytes(r)).toString("hex")).toBe(f.hash);
    });
  });

  it("escapes CEF header and extension values", async () => {
    const lines = (await exportText("cef")).split("\n").filter(Boolean);
    expect(lines).toHaveLength(12);
    for (const line of lines)
      expect(line).toMatch(/^CEF:0\|Paracle\|Governance\|0\|[a-z._]+\|.*\|\d+\|/);
    // record 4 has the nasty action: in the header `|` and `\` are escaped, newlines dropped
    expect(lines[4]).toContain('|policy.evaluation a\\|b=c\\\\d]e"f new line,g|');
    // parse the extension back: split on unescaped spaces before `key=`, unescape values
    const ext = lines[3]!.split("|").slice(7).join("|");
    const pairs = [...ext.matchAll(/(\w+)=((?:[^\\=]|\\.)*?)(?= \w+=|$)/g)].map((m) => [
      m[1],
      m[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "r" ? "\r" : c)),
    ]);
    expect(Object.fromEntries(pairs).suser).toBe(NASTY);
    expect(ext).toContain('suser=a|b\\=c\\\\d]e"f\\nnew\\rline,g');
  });

  it("escapes LEEF 2.0 values and declares the tab delimiter", async () => {
    const lines = (await exportText("leef")).split("\n").filter(Boolean);
    expect(lines).toHaveLength(12);
    expect(lines[3]).toMatch(/^LEEF:2\.0\|Paracle\|Governance\|0\|agent\.action\|x09\|/);
    const attrs = Object.fromEntries(
      lines[3]!
        .split("|")
        .slice(6)
        .join("|")
        .split("\t")
        .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
    );
    expect(attrs.usrName).toBe('a|b=c\\\\d]e"f\\nnew\\rline,g');
  });

  it("frames syslog with octet counting and escapes structured data", async () => {
    const text = await exportText("syslog");
    const buf = Buffer.from(text);
    const msgs: string[] = [];
    let at = 0;
    while (at < buf.length) {
      const sp = buf.indexOf(0x20, at);
      const len = Number(buf.subarray(at, sp).toString());
      msgs.push(buf.subarray(sp + 1, sp + 1 + len).toString());
      at = sp + 1 + len;
    }
    expect(msgs).toHaveLength(12);
    const m = msgs[3]!;
    expect(m).toMatch(
      /^<13\d|<1[0-9]{2}>1 2023-11-14T22:13:20\.000Z host-1 paracle - agent\.action \[paracle@32473 /,
    );
    expect(m).toContain(' actor="a|b=c\\\\d\\]e\\"f\nnew\rline,g"');
    // the SD element ends at the first unescaped `]`; MSG is the canonical record
    const sd = /\[paracle@32473((?: \w+="(?:[^"\\\]]|\\.)*")*)\] (.*)$/s.exec(m)!;
    expect(JSON.parse(sd[2]!)).toEqual(records[3]);
    const lf = await exportText("syslog", { framing: "lf" });
    expect(lf.startsWith("<")).toBe(true);
  });

  it("writes OCSF API Activity 6003 with the required and security-control fields", async () => {
    const events = (await exportText("ocsf"))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    for (const [i, e] of events.entries()) {
      for (const k of [
        "activity_id",
        "category_uid",
        "class_uid",
        "type_uid",
        "time",
        "severity_id",
        "metadata",
        "actor",
        "api",
        "src_endpoint",
        "cloud",
        "action_id",
        "disposition_id",
      ]) {
        expect(e, k).toHaveProperty(k);
      }
      expect(e).toMatchObject({
        class_uid: 6003,
        category_uid: 6,
        metadata: { version: "1.1.0", product: { name: "Paracle Governance" } },
      });
      expect(e.type_uid).toBe(600300 + e.activity_id);
      expect(e.action_id).toBe(i % 2 ? 2 : 1);
      expect(e.unmapped.paracle).toEqual(records[i]);
    }
    expect(events[1].activity_id).toBe(4); // db.delete
  });

  it("writes ECS documents", async () => {
    const docs = (await exportText("ecs"))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(docs[1]).toMatchObject({
      "@timestamp": "2023-11-14T22:13:20.000Z",
      ecs: { version: "8.11.0" },
      event: { outcome: "failure", sequence: 1 },
    });
  });

  it("exports JSON and JSONL that verify offline against a checkpoint, and detects edits", async () => {
    const note = await trail.checkpoint();
    for (const format of ["json", "jsonl"]) {
      const file = join(dir, `export.${format}`);
      writeFileSync(file, await exportText(format));
      const ok = await verifyExport(file, { checkpoint: note, publicKey });
      expect(ok.problems).toEqual([]);
      expect(ok).toMatchObject({ ok: true, checked: 12, checkpointsChecked: 1 });
      writeFileSync(file, readFileSync(file, "utf8").replace('"n":5', '"n":6'));
      const bad = await verifyExport(file, { checkpoint: note, publicKey });
      expect(bad.firstBad).toMatchObject({ kind: "modified", seq: 5 });
    }
    const other = generateKeyPairSync("ed25519").publicKey;
    const wrongKey = await verifyExport(join(dir, "export.jsonl"), {
      checkpoint: note,
      publicKey: other,
    });
    expect(wrongKey.ok).toBe(false);
  });

  it("selects by time with since/until and rejects unknown formats", async () => {
    const ex = new AuditExporter(trail.storage);
    expect([...ex.records({ since: 1_700_000_000_000 })]).toHaveLength(12);
    expect([...ex.records({ since: 1_700_000_000_001 })]).toHaveLength(0);
    await expect(ex.export(new Writable(), { format: "xml", progress: false })).rejects.toThrow(
      "unknown export format `xml`",
    );
  });
});
