/**
 * Bundle loading errors: one stable code per failure, messages from one catalogue (Cedar's style:
 * lowercase, no final period, user input in backticks).
 */

export type BundleLoadErrorCode =
  | "bundle_file_missing"
  | "bundle_file_unreadable"
  | "manifest_invalid"
  | "hash_mismatch"
  | "signature_missing"
  | "signature_invalid"
  | "public_key_invalid"
  | "public_key_required"
  | "module_invalid"
  | "module_import_failed";

const catalogue: Record<BundleLoadErrorCode, (detail: Record<string, string>) => string> = {
  bundle_file_missing: (d) => `bundle file \`${d.file}\` does not exist`,
  bundle_file_unreadable: (d) => `cannot read bundle file \`${d.file}\`: ${d.cause}`,
  manifest_invalid: (d) => `manifest \`${d.file}\` is invalid: ${d.cause}`,
  hash_mismatch: (d) =>
    `\`bundle.mjs\` does not match its manifest: sha256 is \`${d.actual}\`, manifest says \`${d.expected}\``,
  signature_missing: (d) =>
    `bundle \`${d.dir}\` is not signed (no \`manifest.json.sig\`) but a public key is configured`,
  signature_invalid: (d) =>
    `signature of \`${d.file}\` does not verify with the configured public key: ${d.cause}`,
  public_key_invalid: (d) => `configured public key is not an Ed25519 public key: ${d.cause}`,
  public_key_required: () => "a signature is required but no public key is configured",
  module_invalid: (d) => `\`bundle.mjs\` does not have the shape of a compiled bundle: ${d.cause}`,
  module_import_failed: (d) => `\`bundle.mjs\` failed to load: ${d.cause}`,
};

const helps: Partial<Record<BundleLoadErrorCode, string>> = {
  hash_mismatch: "the bundle was modified after compilation; recompile it with `paracle-compile`",
  signature_missing: "sign the bundle with `paracle-compile <dir> --out <bundle> --sign key.pem`",
  signature_invalid:
    "the manifest was modified after signing, or it was signed with another key; recompile and sign it again",
  public_key_required: "configure the Ed25519 public key (SPKI PEM) matching the signing key",
};

/** Thrown by {@link loadBundle}; `code` is stable, `message` is for humans. */
export class BundleLoadError extends Error {
  override readonly name = "BundleLoadError";
  readonly code: BundleLoadErrorCode;
  readonly help: string | undefined;

  constructor(code: BundleLoadErrorCode, detail: Record<string, string> = {}) {
    super(catalogue[code](detail));
    this.code = code;
    this.help = helps[code];
  }
}
