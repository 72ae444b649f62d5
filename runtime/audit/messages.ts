/** Every message of the audit trail, Cedar style: lowercase, no final period, input in backticks. */
export const MESSAGES = {
  audit_invalid_event: "invalid audit event: {what}",
  audit_unhealthy:
    "the audit trail is unhealthy after a failed write and accepts no appends: {cause}",
  audit_closed: "the audit trail is closed",
  audit_other_writer:
    "another writer appended to the audit log at `{path}` (expected size {expected}, found {found})",
  audit_locked:
    "the audit log at `{path}` is being written by process {pid} on `{host}` since {since}; {what} (lock file `{file}`: released when that process stops, stale once it is gone)",
  audit_read_only: "the audit log at `{path}` is open read-only: {what}",
  audit_no_log: "no audit log at `{path}` (no data.mdb there)",
  audit_no_signing_key: "no signing key configured: checkpoints cannot be signed",
  audit_bad_cursor: "invalid page cursor `{cursor}`",
  audit_bad_checkpoint: "invalid checkpoint: {what}",
  audit_bad_export: "invalid export file `{file}` line {line}: {what}",
  audit_unknown_format: "unknown export format `{format}` (expected one of {formats})",
  audit_bad_retention: "invalid retention rule: {what}",
  // verification problems
  verify_modified:
    "record {seq} was modified: its bytes hash to {actual}, the log holds {expected}",
  verify_stub_modified: "pruned record {seq} is outside every archived range",
  verify_missing: "record {seq} is missing (the next record present is {next})",
  verify_reordered: "record {seq} holds the record numbered {found}: records were reordered",
  verify_inserted: "record {seq} was inserted: record {next} links to record {prev}",
  verify_chain:
    "record {seq} does not link to record {prev}: prev_hash {actual}, hash of record {prev} is {expected}",
  verify_truncated:
    "the log was truncated: it has {size} records but checkpoint {checkpoint} covers {covered}",
  verify_root:
    "the first {size} records hash to root {actual}, checkpoint says {expected}: a record in {from}..{to} was changed",
  verify_node:
    "stored Merkle node (level {level}, index {index}) does not match the records it covers",
  verify_signature: "checkpoint of size {size} has no valid signature by `{name}`",
  verify_tail_modified:
    "record {seq} was modified after the last checkpoint and its chain was rebuilt",
} as const;

export type MessageCode = keyof typeof MESSAGES;
