import { createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** An Ed25519 key pair as PEM (PKCS#8 private, SPKI public), like `paracle-compile --sign` uses. */
export function ed25519Keys(): { privateKey: KeyObject; publicPem: string; privatePem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey,
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

/**
 * A decide function body over `input`: `decideSource` is the body of `decide(input)` returning a
 * decision object, written as plain JS. The decision defaults are spread under what it returns.
 */
export function bundleSource(decideSource: string, extra = ""): string {
  return `const base = { decision: "deny", reasons: [], matched: [], obligations: [], risk: { score: 0, level: "low", factors: [] }, bundle: { hash: "" } };
export const metadata = { version: "1.0.0", policies: ["p1"] };
export const rules = {};
export const approvalTemplates = {};
function body(input) { ${decideSource} }
export function decide(input) { return { ...base, ...body(input) }; }
${extra}
`;
}

/** Writes `bundle.mjs` + `manifest.json` (+ `manifest.json.sig` when a key is given) to a temp dir. */
export function writeBundle(source: string, opts: { signWith?: KeyObject; dir?: string } = {}) {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "paracle-bundle-"));
  const bytes = Buffer.from(source, "utf8");
  const manifest = Buffer.from(
    `${JSON.stringify(
      {
        version: "1.0.0",
        hash: createHash("sha256").update(bytes).digest("hex"),
        policies: ["p1"],
        sources: [{ file: "p.yaml", sha256: "0".repeat(64) }],
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(dir, "bundle.mjs"), bytes);
  writeFileSync(join(dir, "manifest.json"), manifest);
  if (opts.signWith) {
    const sig = sign(null, manifest, opts.signWith).toString("base64");
    writeFileSync(join(dir, "manifest.json.sig"), `${sig}\n`);
  }
  return { dir, manifest, bytes };
}
