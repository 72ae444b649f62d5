/**
 * `manifest.json`: what the runtime loader checks before trusting a bundle (ARCHITECTURE.md,
 * "Contracts"). Keys sorted, two-space indent, final newline: the bytes are deterministic, and the
 * signature covers exactly these bytes.
 */
import { createHash } from "node:crypto";
import { sortedJson } from "../generate/emit.js";

export interface BundleManifest {
  version: string;
  compiler: string;
  /** sha256 hex of the exact bytes of bundle.mjs. */
  hash: string;
  /** Rule ids in the bundle, sorted. */
  policies: string[];
  /** Policy files (relative to the policy dir, `/`), sorted, with the sha256 of their bytes. */
  sources: { file: string; sha256: string }[];
  actions: string[];
  risk_model: string | null;
  approval_templates: string[];
}

export const sha256Hex = (text: string | Uint8Array): string =>
  createHash("sha256").update(text).digest("hex");

export function manifestText(m: BundleManifest): string {
  return `${sortedJson({ ...m, policies: [...m.policies].sort(), sources: [...m.sources].sort((a, b) => (a.file < b.file ? -1 : 1)) }, 2)}\n`;
}
