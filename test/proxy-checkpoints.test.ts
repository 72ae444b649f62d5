// With `audit.signing_key` the sidecar signs a checkpoint of its audit log every
// `audit.checkpoint_interval` while the log grows (C2SP signed note, Ed25519).
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { validateConfig } from "../proxy/config/validate.js";
import { openRuntimeParts } from "../proxy/parts.js";
import { parseCheckpoint, verifyCheckpoint } from "../runtime/audit/checkpoint.js";
import type { AuditTrail } from "../runtime/audit/trail.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it("signs checkpoints of the audit log on the configured interval while it grows, and at shutdown", async () => {
  const dir = mkdtempSync(join(tmpdir(), "paracle-checkpoints-"));
  dirs.push(dir);
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  writeFileSync(join(dir, "audit.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
  const config = validateConfig(
    {
      data_dir: "data",
      audit: { signing_key: "audit.pem", key_name: "sidecar-test", checkpoint_interval: "40ms" },
    },
    { baseDir: dir, env: {} },
  );
  const parts = await openRuntimeParts(config);
  const trail = parts.audit as AuditTrail;
  try {
    await trail.append({
      type: "system.start",
      actor: { id: "paracle", kind: "system" },
      outcome: "success",
    });
    await new Promise((r) => setTimeout(r, 200));
    const latest = trail.storage.latestCheckpoint();
    expect(latest?.size).toBe(1);
    expect(verifyCheckpoint(latest!.note, publicKey, "sidecar-test")).toMatchObject({ size: 1 });
    expect(parseCheckpoint(latest!.note).checkpoint.root).toEqual(Buffer.from(trail.root()));
    // no new record, no new checkpoint
    expect([...trail.storage.checkpoints.getKeys({})]).toEqual([1]);
  } finally {
    await parts.approvals?.stop?.();
    await parts.limits?.stop?.();
  }
  // shutdown signs a last one covering the records since the previous checkpoint
  await trail.append({
    type: "system.stop",
    actor: { id: "paracle", kind: "system" },
    outcome: "success",
  });
  await trail.close();
  const { AuditStorage } = await import("../runtime/audit/storage.js");
  const s = AuditStorage.open(join(dir, "data", "audit"), { readOnly: true });
  expect([...s.checkpoints.getKeys({})]).toEqual([1, 2]);
  expect(verifyCheckpoint(s.latestCheckpoint()!.note, publicKey, "sidecar-test")).toMatchObject({
    size: 2,
  });
  await s.close();
});
