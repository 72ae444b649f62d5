import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { BundleLoadError } from "./errors.js";

/** Parses an SPKI PEM public key and checks it is Ed25519; throws `public_key_invalid`. */
export function parsePublicKey(pem: string | KeyObject): KeyObject {
  let key: KeyObject;
  try {
    key = typeof pem === "string" ? createPublicKey(pem) : pem;
  } catch (error) {
    throw new BundleLoadError("public_key_invalid", { cause: (error as Error).message });
  }
  if (key.type !== "public" || key.asymmetricKeyType !== "ed25519") {
    throw new BundleLoadError("public_key_invalid", {
      cause: `got a ${key.type} ${key.asymmetricKeyType ?? "unknown"} key`,
    });
  }
  return key;
}

/**
 * Verifies `manifest.json.sig`: the base64 Ed25519 signature (RFC 8032) of the exact bytes of
 * `manifest.json`, written as one line (trailing newline optional). Throws `signature_invalid`.
 */
export function verifyManifestSignature(
  manifestBytes: Buffer,
  sigText: string,
  key: KeyObject,
  file: string,
): void {
  const text = sigText.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw new BundleLoadError("signature_invalid", { file, cause: "the signature is not base64" });
  }
  const sig = Buffer.from(text, "base64");
  if (sig.length !== 64) {
    throw new BundleLoadError("signature_invalid", {
      file,
      cause: `an Ed25519 signature has 64 bytes, got ${sig.length}`,
    });
  }
  if (!verify(null, manifestBytes, key, sig)) {
    throw new BundleLoadError("signature_invalid", { file, cause: "verification failed" });
  }
}
