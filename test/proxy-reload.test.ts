/**
 * Hot reload of a signed bundle in a running sidecar (issue 7 §6): bundles written the way
 * `paracle-compile --sign` writes them (atomic directory swap). A bundle signed with another key
 * or unsigned is refused, the old one stays in force and `config.bundle_rejected` is audited; a
 * bundle signed with the configured key is swapped in, audited as `config.bundle_loaded`, and
 * decides the next calls. The log verifies.
 */
import { generateKeyPairSync } from "node:crypto";
import { appendFileSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compilePolicyDir, writeBundle } from "../compiler/index.js";
import {
  eventually,
  FIXTURE_POLICIES,
  type Harness,
  startHarness,
} from "./proxy-helpers/harness.js";

const pem = (k: { export(o: object): string | Buffer }, type: "spki" | "pkcs8") =>
  String(k.export({ type, format: "pem" }));

const DENY_ECHO = `  - id: deny-echo
    type: deny
    match:
      actions: ["echo"]
    reason: echo is switched off
`;

describe("hot reload of signed bundles", () => {
  let h: Harness;
  let work: string;
  let bundleDir: string;
  const key = generateKeyPairSync("ed25519");
  const other = generateKeyPairSync("ed25519");

  /** Compiles the fixture (plus `extra` policies) into the watched directory. */
  const publish = async (extra: string, signWith?: string) => {
    const src = mkdtempSync(join(work, "src-"));
    copyFileSync(join(FIXTURE_POLICIES, "tools.yaml"), join(src, "tools.yaml"));
    appendFileSync(join(src, "tools.yaml"), extra);
    const result = await compilePolicyDir(src);
    expect(result.ok).toBe(true);
    await writeBundle(result, bundleDir, signWith);
    return JSON.parse(result.files!["manifest.json"]).hash as string;
  };
  const echo = () =>
    fetch(`${h.sidecar.url}/tools/echo`, { method: "POST", body: JSON.stringify({ text: "x" }) });
  const events = (type: string) => h.audit.records.filter((r) => r.type === type);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "paracle-reload-"));
    bundleDir = join(work, "bundle");
    writeFileSync(join(work, "bundle.pub"), pem(key.publicKey, "spki"));
    await publish("", pem(key.privateKey, "pkcs8"));
    h = await startHarness({
      bundle: {
        dir: bundleDir,
        public_key: join(work, "bundle.pub"),
        require_signature: true,
        watch: true,
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("starts on the signed bundle and audits it", () => {
    expect(h.sidecar.engine.bundle.signed).toBe(true);
    expect(events("config.bundle_loaded")).toMatchObject([
      { outcome: "success", context: { hash: h.sidecar.engine.bundle.hash, signed: true } },
    ]);
  });

  it("refuses a bundle signed with another key or unsigned, keeping the old one", async () => {
    const hash = h.sidecar.engine.bundle.hash;
    await publish(DENY_ECHO, pem(other.privateKey, "pkcs8"));
    const first = await eventually(() => events("config.bundle_rejected")[0]);
    expect(first).toMatchObject({
      outcome: "failure",
      context: { code: "signature_invalid", kept: hash },
    });
    expect(h.sidecar.engine.bundle.hash).toBe(hash);
    expect((await echo()).status).toBe(200);

    await publish(`${DENY_ECHO}    # unsigned\n`);
    const second = await eventually(() => events("config.bundle_rejected")[1]);
    expect(second).toMatchObject({ context: { code: "signature_missing", kept: hash } });
    expect(h.sidecar.engine.bundle.hash).toBe(hash);
    expect((await echo()).status).toBe(200);
    const reload = await h.admin("/v1/bundle/reload", { body: {} });
    expect(reload.status).toBe(422);
  });

  it("swaps in a bundle signed with the configured key and decides with it", async () => {
    const old = h.sidecar.engine.bundle.hash;
    const next = await publish(DENY_ECHO, pem(key.privateKey, "pkcs8"));
    await eventually(() => h.sidecar.engine.bundle.hash === next);
    expect(events("config.bundle_loaded").at(-1)).toMatchObject({
      outcome: "success",
      context: { hash: next, previous: old, signed: true },
    });
    const res = await echo();
    expect(res.status).toBe(403);
    expect(((await res.json()) as { policy: string }).policy).toBe("deny-echo");
    const status = await (await h.admin("/v1/bundle")).json();
    expect(status).toMatchObject({ hash: next, signed: true });
    expect((await h.trail.verify()).ok).toBe(true);
  });
});
