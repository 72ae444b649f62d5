/**
 * Ed25519 signature of manifest.json (node:crypto). `manifest.json.sig` is the base64 signature
 * over the exact bytes of manifest.json, then "\n". Keys are PEM: PKCS#8 private, SPKI public.
 */
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";

export class SigningKeyError extends Error {
  override readonly name = "SigningKeyError";
}

export function signManifest(manifest: string, privateKeyPem: string): string {
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (e) {
    throw new SigningKeyError(
      `cannot read the signing key: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new SigningKeyError(
      `the signing key must be an Ed25519 private key, found \`${key.asymmetricKeyType}\``,
    );
  }
  return `${sign(null, Buffer.from(manifest, "utf8"), key).toString("base64")}\n`;
}

export function verifyManifest(
  manifest: string | Uint8Array,
  signature: string,
  publicKeyPem: string,
): boolean {
  const key = createPublicKey(publicKeyPem);
  const bytes = typeof manifest === "string" ? Buffer.from(manifest, "utf8") : manifest;
  return verify(null, bytes, key, Buffer.from(signature.trim(), "base64"));
}
