/**
 * The compiler's public face: YAML policy directories → decision bundles. Re-exports only.
 */
export type { BundleModule } from "./bundle-io.js";
export { importBundle, importBundleText } from "./bundle-io.js";
export { type CompileCommandOptions, compileCommand } from "./commands/compile.js";
export { type EvaluateOptions, evaluateCommand } from "./commands/evaluate.js";
export { type CommandIO, EXIT, processIO } from "./commands/io.js";
export { type CompileDirResult, compilePolicyDir, writeBundle } from "./compile-dir.js";
export { formatDiagnostics } from "./diagnostics/report.js";
export { BUNDLE_FORMAT_VERSION } from "./generate/stage.js";
export type { PolicyTypeName } from "./model.js";
export {
  type BundleFiles,
  type CompileOptions,
  type CompileResult,
  compilePolicies,
  STAGES,
} from "./pipeline.js";
export { POLICY_TYPES, type Policy, PolicyAction, PolicyType } from "./policy.js";
export type { PolicyText } from "./source/load.js";
export { isPolicyFile, PolicyDirError, readPolicyDir } from "./source/read-dir.js";
export type { BundleManifest } from "./write/manifest.js";
export { SigningKeyError, signManifest, verifyManifest } from "./write/sign.js";
