import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.js";
import { BundleLoadError } from "./errors.js";
import { loadBundle } from "./loader.js";
import { bundleSource, ed25519Keys, writeBundle } from "./test-helpers/bundle-fixture.js";

const allowAll = bundleSource(`return { decision: "allow", reasons: ["ok"] };`);

async function loadError(p: Promise<unknown>): Promise<BundleLoadError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BundleLoadError);
  return error as BundleLoadError;
}

describe("loadBundle", () => {
  const keys = ed25519Keys();

  it("loads an unsigned bundle when no key is configured", async () => {
    const { dir } = writeBundle(allowAll);
    const b = await loadBundle(dir, { clock: new ManualClock(42) });
    expect(b.signed).toBe(false);
    expect(b.loadedAt).toBe(42);
    expect(b.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.manifest.policies).toEqual(["p1"]);
    expect(b.module.decide({ agent: { id: "a" }, action: { name: "x" } }).decision).toBe("allow");
  });

  it("loads a signed bundle with the right key", async () => {
    const { dir } = writeBundle(allowAll, { signWith: keys.privateKey });
    const b = await loadBundle(dir, { publicKey: keys.publicPem, requireSignature: true });
    expect(b.signed).toBe(true);
  });

  it("refuses a bundle.mjs modified after compilation (hash mismatch)", async () => {
    const { dir } = writeBundle(allowAll, { signWith: keys.privateKey });
    writeFileSync(join(dir, "bundle.mjs"), allowAll.replace('"allow"', '"deny"'));
    const e = await loadError(loadBundle(dir, { publicKey: keys.publicPem }));
    expect(e.code).toBe("hash_mismatch");
    expect(e.message).toMatch(
      /^`bundle\.mjs` does not match its manifest: sha256 is `[0-9a-f]{64}`, manifest says `[0-9a-f]{64}`$/,
    );
  });

  it("refuses a tampered manifest (signature fails) even if its hash is right", async () => {
    const { dir, manifest } = writeBundle(allowAll, { signWith: keys.privateKey });
    const tampered = manifest.toString().replace('"p1"', '"p2"');
    writeFileSync(join(dir, "manifest.json"), tampered);
    const e = await loadError(loadBundle(dir, { publicKey: keys.publicPem }));
    expect(e.code).toBe("signature_invalid");
    expect(e.message).toContain(
      "does not verify with the configured public key: verification failed",
    );
  });

  it("refuses an unsigned bundle when a key is configured", async () => {
    const { dir } = writeBundle(allowAll);
    const e = await loadError(loadBundle(dir, { publicKey: keys.publicPem }));
    expect(e.code).toBe("signature_missing");
    expect(e.message).toBe(
      `bundle \`${dir}\` is not signed (no \`manifest.json.sig\`) but a public key is configured`,
    );
    expect(e.help).toMatch(/--sign/);
  });

  it("refuses a bundle signed with another key", async () => {
    const other = ed25519Keys();
    const { dir } = writeBundle(allowAll, { signWith: other.privateKey });
    const e = await loadError(loadBundle(dir, { publicKey: keys.publicPem }));
    expect(e.code).toBe("signature_invalid");
  });

  it("refuses a garbled signature file", async () => {
    const { dir } = writeBundle(allowAll, { signWith: keys.privateKey });
    writeFileSync(join(dir, "manifest.json.sig"), "not base64!\n");
    expect((await loadError(loadBundle(dir, { publicKey: keys.publicPem }))).message).toMatch(
      /the signature is not base64$/,
    );
    writeFileSync(join(dir, "manifest.json.sig"), "AAAA\n");
    expect((await loadError(loadBundle(dir, { publicKey: keys.publicPem }))).message).toMatch(
      /an Ed25519 signature has 64 bytes, got 3$/,
    );
  });

  it("requires a key when a signature is required", async () => {
    const { dir } = writeBundle(allowAll, { signWith: keys.privateKey });
    const e = await loadError(loadBundle(dir, { requireSignature: true }));
    expect(e.code).toBe("public_key_required");
  });

  it("refuses a key that is not Ed25519", async () => {
    const { dir } = writeBundle(allowAll);
    const e = await loadError(
      loadBundle(dir, {
        publicKey: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
      }),
    );
    expect(e.code).toBe("public_key_invalid");
  });

  it("names the missing file", async () => {
    const { dir } = writeBundle(allowAll);
    rmSync(join(dir, "bundle.mjs"));
    const e = await loadError(loadBundle(dir));
    expect(e.code).toBe("bundle_file_missing");
    expect(e.message).toBe(`bundle file \`${join(dir, "bundle.mjs")}\` does not exist`);
  });

  it("refuses an invalid manifest", async () => {
    const { dir } = writeBundle(allowAll);
    writeFileSync(join(dir, "manifest.json"), '{"version": "1", "hash": "abc", "policies": []}');
    const e = await loadError(loadBundle(dir));
    expect(e.code).toBe("manifest_invalid");
    expect(e.message).toMatch(/`hash` must be a lowercase sha256 hex digest$/);
  });

  it("refuses a module without decide, and one that throws at import", async () => {
    const { dir } = writeBundle("export const metadata = { version: '1', policies: [] };\n");
    expect((await loadError(loadBundle(dir))).message).toBe(
      "`bundle.mjs` does not have the shape of a compiled bundle: it does not export a `decide` function",
    );
    const broken = writeBundle("throw new Error('boom');\nexport function decide() {}\n");
    const e = await loadError(loadBundle(broken.dir));
    expect(e.code).toBe("module_import_failed");
    expect(e.message).toBe("`bundle.mjs` failed to load: boom");
  });

  it("gives a fresh module for a new bundle in the same directory (reload)", async () => {
    const { dir } = writeBundle(allowAll);
    const first = await loadBundle(dir);
    writeBundle(bundleSource(`return { decision: "require_approval" };`), { dir });
    const second = await loadBundle(dir);
    expect(second.hash).not.toBe(first.hash);
    const input = { agent: { id: "a" }, action: { name: "x" } };
    expect(first.module.decide(input).decision).toBe("allow");
    expect(second.module.decide(input).decision).toBe("require_approval");
  });

  it("never runs code whose bytes were not verified", async () => {
    // A bundle whose top level would write a marker file: with a hash mismatch it must not run.
    const { dir } = writeBundle(allowAll);
    const marker = join(dir, "ran");
    const evil = `${allowAll}\nimport("node:fs").then((fs) => fs.writeFileSync(${JSON.stringify(marker)}, "x"));\n`;
    writeFileSync(join(dir, "bundle.mjs"), evil);
    await loadError(loadBundle(dir));
    await new Promise((r) => setTimeout(r, 20));
    expect(() => readFileSync(marker)).toThrow(/ENOENT/);
  });
});
