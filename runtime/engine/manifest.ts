import { BundleLoadError } from "./errors.js";

/** `manifest.json` of a compiled bundle (see ARCHITECTURE.md, "Contracts others depend on"). */
export interface BundleManifest {
  version: string;
  /** sha256 hex of the exact bytes of `bundle.mjs`. */
  hash: string;
  policies: string[];
  sources: { file: string; sha256: string }[];
  compiler?: unknown;
  actions?: unknown;
  risk_model?: unknown;
  approval_templates?: unknown;
  [key: string]: unknown;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Parses and checks the manifest's required fields; throws `manifest_invalid`. */
export function parseManifest(bytes: Buffer, file: string): BundleManifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new BundleLoadError("manifest_invalid", { file, cause: (error as Error).message });
  }
  const fail = (cause: string): never => {
    throw new BundleLoadError("manifest_invalid", { file, cause });
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("expected a JSON object");
  }
  const m = value as Record<string, unknown>;
  if (typeof m.version !== "string") fail("`version` must be a string");
  if (typeof m.hash !== "string" || !SHA256_HEX.test(m.hash)) {
    fail("`hash` must be a lowercase sha256 hex digest");
  }
  if (!Array.isArray(m.policies) || !m.policies.every((p) => typeof p === "string")) {
    fail("`policies` must be a list of policy ids");
  }
  if (m.sources === undefined) m.sources = [];
  if (!Array.isArray(m.sources)) fail("`sources` must be a list");
  return m as BundleManifest;
}
