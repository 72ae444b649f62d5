/** Test support: compile YAML texts in memory and import the bundle (no disk). */
import { importBundleText } from "./bundle-io.js";
import { formatDiagnostics } from "./diagnostics/report.js";
import { type CompileOptions, compilePolicies } from "./pipeline.js";

export const SET = (name: string) =>
  `apiVersion: paracle.dev/v1\nkind: PolicySet\nmetadata: { name: ${name} }\n`;

export async function compileBundle(files: Record<string, string>, options?: CompileOptions) {
  const r = compilePolicies(
    Object.entries(files).map(([file, text]) => ({ file, text })),
    options,
  );
  if (!r.ok) throw new Error(formatDiagnostics(r.diagnostics, r.sources));
  return { result: r, bundle: await importBundleText(r.files!["bundle.mjs"]) };
}
