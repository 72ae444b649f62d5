/**
 * Paracle Governance — public library face. Re-exports only; see ARCHITECTURE.md.
 */
export type * from "./runtime/decision/types.js";
export {
  type Alert,
  type AlertCounter,
  type AlertSink,
  BundleLoadError,
  type Clock,
  type EngineDecision,
  type HistoryStats,
  HistoryTracker,
  type LoadedBundle,
  LogAlertSink,
  loadBundle,
  ManualClock,
  MetricAlertSink,
  PolicyEngine,
  PolicyEvaluator,
  redact,
  redactWithReport,
  systemClock,
  WebhookAlertSink,
} from "./runtime/index.js";
export {
  checkExpression,
  compileExpression,
  type ContextSchema,
  defaultContextSchema,
  type Diagnostic,
  type Expr,
  ExpressionError,
  evaluateExpression,
  explainExpression,
  extendSchema,
  formatDiagnostic,
  interpretExpression,
  type Origin,
  PRELUDE,
  parseExpression,
  printExpression,
  type Span,
} from "./grammar/index.js";
