/**
 * The tamper-evident audit trail: records hash-chained and in an RFC 9162 Merkle tree in LMDB,
 * Ed25519-signed C2SP checkpoints, verification, queries, exports and retention.
 * Re-exports only; see docs/audit.md.
 */
export {
  type Checkpoint,
  checkpointBody,
  noteKeyId,
  parseCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
} from "./checkpoint.js";
export { CompactRange, rootFromNodes, type TreeNode } from "./compact-range.js";
export { AuditError } from "./errors.js";
export {
  AuditExporter,
  EXPORT_FORMATS,
  type ExportFormatName,
  type ExportOptions,
  exportFormat,
} from "./export/index.js";
export {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  merkleRoot,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
  verifyInclusionHash,
} from "./merkle.js";
export type { AuditQuery, PageRequest, QueryPage } from "./query.js";
export { canonicalBytes, GENESIS_HASH } from "./record.js";
export { formatVerifyReport } from "./report.js";
export {
  MIN_DAYS,
  type RetentionConfig,
  RetentionPolicy,
  type RetentionResult,
  type RetentionRule,
} from "./retention.js";
export type { AuditStats } from "./stats.js";
export { AuditStorage, type PrunedRange } from "./storage.js";
export { AuditTrail, type AuditTrailOptions } from "./trail.js";
export {
  AUDIT_EVENT_TYPES,
  AUDIT_OUTCOMES,
  type AuditEvent,
  type AuditEventInput,
  AuditEventType,
  type AuditOutcome,
  type AuditRecord,
  type AuditSink,
  type Durability,
  type ProblemKind,
  type VerifyProblem,
  type VerifyReport,
} from "./types.js";
export { IntegrityVerifier, type VerifyOptions } from "./verify.js";
export { ARCHIVE_FORMAT, type VerifyExportOptions, verifyExport } from "./verify-export.js";
