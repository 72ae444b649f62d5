/**
 * The default `PolicyCompiler` of the runner: the real compiler pipeline on the directory, in
 * memory (nothing is written). Diagnostics are re-rooted at the directory so they print as
 * `policies/base.yaml:12:5` like the suites' own diagnostics.
 */
import { join } from "node:path";
import { formatDiagnostic } from "../../grammar/index.js";
import { compilePolicyDir, PolicyDirError } from "../index.js";
import { UsageError } from "./bundle-source.js";
import type { PolicyCompiler } from "./policy-tests.js";

export const compileForTests: PolicyCompiler = async (dir) => {
  let result: Awaited<ReturnType<typeof compilePolicyDir>>;
  try {
    result = await compilePolicyDir(dir);
  } catch (err) {
    if (err instanceof PolicyDirError) throw new UsageError(err.message);
    throw err;
  }
  const diagnostics = result.diagnostics.map((d) => ({
    ...d,
    span: { ...d.span, file: join(dir, d.span.file) },
  }));
  const formatted = result.diagnostics.map((d, i) =>
    formatDiagnostic(diagnostics[i]!, result.sources.get(d.span.file) ?? ""),
  );
  return {
    diagnostics,
    formatted,
    ...(result.ok && result.files ? { bundleSource: result.files["bundle.mjs"] } : {}),
  };
};
