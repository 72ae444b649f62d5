import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { evaluateCommand, importBundle, verifyManifest } from "../compiler/index.js";
import { captureIO, HEAD, policyDir, runCompile } from "./compiler-helpers.js";

const FIXTURE = "compiler/fixtures/basic";

const root = mkdtempSync(join(tmpdir(), "paracle-bundle-"));
const tmpOut = (name: string): string => join(root, name);
const policyRoot = (): string => root;

describe("bundle output", () => {
  test("compiling twice gives byte-identical files, with relative source paths only", async () => {
    const a = tmpOut("a");
    const b = tmpOut("b");
    expect((await runCompile(FIXTURE, a)).code).toBe(0);
    expect((await runCompile(FIXTURE, b)).code).toBe(0);
    for (const f of ["bundle.mjs", "bundle.d.ts", "manifest.json"]) {
      expect(readFileSync(join(a, f))).toEqual(readFileSync(join(b, f)));
    }
    const manifest = JSON.parse(readFileSync(join(a, "manifest.json"), "utf8"));
    expect(manifest.sources).toEqual([
      { file: "baseline.yaml", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    expect(readFileSync(join(a, "bundle.mjs"), "utf8")).not.toContain(process.cwd());
    expect(readFileSync(join(a, "bundle.mjs"), "utf8")).not.toMatch(/^import /m);
    expect(readFileSync(join(a, "bundle.mjs"), "utf8")).toContain(
      "// policy deny-prod-deletes (baseline.yaml:25)",
    );
  });

  test("--sign writes a verifiable Ed25519 signature over manifest.json", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const keyFile = join(policyRoot(), "key.pem");
    writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }) as string);
    const out = tmpOut("signed");
    expect((await runCompile(FIXTURE, out, { sign: keyFile })).code).toBe(0);
    const manifest = readFileSync(join(out, "manifest.json"));
    const sig = readFileSync(join(out, "manifest.json.sig"), "utf8");
    expect(sig).toMatch(/^[A-Za-z0-9+/=]+\n$/);
    const pub = publicKey.export({ type: "spki", format: "pem" }) as string;
    expect(verifyManifest(manifest, sig, pub)).toBe(true);
    const tampered = Buffer.from(
      manifest.toString("utf8").replace('"version": "1"', '"version": "2"'),
    );
    expect(verifyManifest(tampered, sig, pub)).toBe(false);
  });

  test("a bad signing key is a usage error and writes nothing", async () => {
    const keyFile = join(policyRoot(), "rsa.pem");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }) as string);
    const r = await runCompile(FIXTURE, tmpOut("rsa"), { sign: keyFile });
    expect(r.code).toBe(2);
    expect(r.err).toContain("the signing key must be an Ed25519 private key, found `rsa`");
  });

  test("governance evaluate prints the decision JSON, with --explain the sub-condition values", async () => {
    const out = tmpOut("eval");
    expect((await runCompile(FIXTURE, out)).code).toBe(0);
    const input = {
      agent: { id: "a1", roles: [] },
      action: { name: "db.delete" },
      resource: { env: "production" },
      time: "2026-01-05T10:00:00Z",
    };
    const inputFile = join(policyRoot(), "input.json");
    writeFileSync(inputFile, JSON.stringify(input));
    const io = captureIO();
    expect(await evaluateCommand({ bundle: out, input: inputFile, explain: true }, io)).toBe(0);
    const d = JSON.parse(io.out);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(d.decision).toBe("deny");
    expect(d.bundle.hash).toBe(manifest.hash);
    expect(d.matched[0]).toEqual({
      id: "deny-prod-deletes",
      type: "deny",
      source: { file: "baseline.yaml", line: 25 },
      reason: "destructive actions on production are forbidden",
    });
    expect(d.obligations).toEqual([
      { type: "audit", policy: "audit-writes", tags: ["write"], keep_args: true },
    ]);
    expect(d.explanation[0].policy).toBe("deny-prod-deletes");
    expect(d.explanation[0].why.value).toBe(true);
    expect(JSON.stringify(d.explanation[0].why)).toContain('"value":"production"');
    const stdin = captureIO(JSON.stringify({ ...input, resource: { env: "dev" } }));
    expect(await evaluateCommand({ bundle: out, input: "-" }, stdin)).toBe(0);
    expect(JSON.parse(stdin.out).decision).toBe("allow");
  });

  test("a tampered bundle is refused by evaluate (exit 2)", async () => {
    const out = tmpOut("tamper");
    expect((await runCompile(FIXTURE, out)).code).toBe(0);
    writeFileSync(
      join(out, "bundle.mjs"),
      `${readFileSync(join(out, "bundle.mjs"), "utf8")}\n// x`,
    );
    const io = captureIO("{}");
    expect(await evaluateCommand({ bundle: out, input: "-" }, io)).toBe(2);
    expect(io.err).toContain("does not match the hash in its manifest");
  });

  test("the bundle module exports rules, metadata, approvalTemplates and an action index", async () => {
    const out = tmpOut("exports");
    expect((await runCompile(FIXTURE, out)).code).toBe(0);
    const b = await importBundle(out);
    expect(b.rules["refunds-need-approval"]).toEqual({
      type: "require_approval",
      file: "baseline.yaml",
      line: 34,
      when: "args.amount > max_refund",
      constants: { max_refund: 500 },
    });
    expect(b.approvalTemplates.finance).toEqual({
      levels: [{ roles: ["finance"], required: 1 }],
      timeout_ms: 14_400_000,
      on_timeout: "reject",
      template: "finance",
    });
    expect(b.metadata.policies).toContain("no-shell");
    // only the rules indexed for an action run
    expect(b.candidates("db.delete")).toEqual([
      "deny-prod-deletes",
      "allow-deletes",
      "audit-writes",
      "no-shell",
    ]);
    expect(b.candidates("payments.refund")).toEqual([
      "refunds-need-approval",
      "small-refunds",
      "no-shell",
    ]);
    expect(b.candidates("unknown.tool")).toEqual(["no-shell"]);
  });

  test("a failed compilation leaves the previous bundle untouched", async () => {
    const out = tmpOut("keep");
    expect((await runCompile(FIXTURE, out)).code).toBe(0);
    const before = readFileSync(join(out, "bundle.mjs"));
    const broken = policyDir({ "a.yaml": `${HEAD}metadata: { name: a }\npolicies: [{ id: x }]\n` });
    expect((await runCompile(broken, out)).code).toBe(1);
    expect(readFileSync(join(out, "bundle.mjs"))).toEqual(before);
  });

  test("warnings print and exit 0; with --strict they are errors (exit 1)", async () => {
    const dir = policyDir({
      "a.yaml": `${HEAD}metadata: { name: a }\nconstants: { spare: 1 }\npolicies: [{ id: ok, type: allow }]\n`,
    });
    const loose = await runCompile(dir, tmpOut("loose"));
    expect(loose.code).toBe(0);
    expect(loose.err).toContain(
      "a.yaml:4:14: warning[unused-constant]: constant `spare` is never used",
    );
    expect(loose.out).toContain("compiled 1 policies from 1 file");
    const strict = await runCompile(dir, tmpOut("strict"), { strict: true });
    expect(strict.code).toBe(1);
    expect(strict.err).toContain(
      "a.yaml:4:14: error[unused-constant]: constant `spare` is never used",
    );
  });
});
