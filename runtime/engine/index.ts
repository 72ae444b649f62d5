/**
 * runtime/engine: load and verify compiled bundles, decide with state (rate limits, quotas,
 * history, alerts), redact. See docs/runtime.md.
 */
export { type Clock, ManualClock, systemClock } from "../clock.js";
export {
  type EngineDecision,
  type EngineStats,
  PolicyEngine,
  type PolicyEngineOptions,
} from "./engine.js";
export { BundleLoadError, type BundleLoadErrorCode } from "./errors.js";
export { ENGINE_ERROR_POLICY, isoTime } from "./evaluate.js";
export { PolicyEvaluator } from "./evaluator.js";
export {
  LmdbLimitStore,
  PersistentLimits,
  type PersistentLimitsOptions,
} from "./limit-store.js";
export {
  type CounterState,
  LimitCounters,
  type LimitDimension,
  type LimitStore,
} from "./limits.js";
export { type LoadBundleOptions, type LoadedBundle, loadBundle } from "./loader.js";
export type { BundleManifest } from "./manifest.js";
export {
  type DetectorMap,
  REDACTED,
  type Redaction,
  type RedactionDetector,
  type RedactOptions,
  redact,
  redactWithReport,
} from "./redact.js";
