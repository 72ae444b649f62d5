/**
 * Public names for policies as written in YAML (docs/policy-format.md), matching the names users
 * of the original plan know: `Policy`, `PolicyType`, `PolicyAction`.
 */
import { type PolicyTypeName, POLICY_TYPES as TYPES } from "./model.js";

/** Every policy `type:` the compiler accepts. */
export const POLICY_TYPES: readonly PolicyTypeName[] = TYPES;

/**
 * A policy's `type:` by name, as an enum-like object (`PolicyType.RATE_LIMIT === "rate_limit"`),
 * and the union of those names as a type.
 */
export const PolicyType = {
  ALLOW: "allow",
  DENY: "deny",
  REQUIRE_APPROVAL: "require_approval",
  AUDIT: "audit",
  RATE_LIMIT: "rate_limit",
  QUOTA: "quota",
  REDACT: "redact",
  TIME_WINDOW: "time_window",
  REQUIRE_JUSTIFICATION: "require_justification",
  ALERT: "alert",
  MAX_RISK: "max_risk",
  DRY_RUN: "dry_run",
} as const satisfies Record<string, PolicyTypeName>;
/** `allow` | `deny` | `require_approval` | `audit` | `rate_limit` | ... */
export type PolicyType = PolicyTypeName;

/** The effects a decision can have, by name. */
export const PolicyAction = {
  ALLOW: "allow",
  DENY: "deny",
  REQUIRE_APPROVAL: "require_approval",
} as const;
/** `allow` | `deny` | `require_approval`. */
export type PolicyAction = (typeof PolicyAction)[keyof typeof PolicyAction];

/** One entry of a PolicySet's `policies:` list. */
export interface Policy {
  id: string;
  description?: string;
  type: PolicyType;
  scope?: "action" | "agent" | "workflow";
  match?: {
    actions?: string[];
    agents?: string[];
    roles?: string[];
    workflows?: string[];
    phase?: "call" | "list" | "any";
  };
  /** A condition in the condition language. */
  when?: string;
  reason?: string;
  priority?: number;
  enabled?: boolean;
  iso_controls?: string[];
  approval?: Record<string, unknown>;
  audit?: { tags?: string[]; keep_args?: boolean };
  rate_limit?: { limit: number; window: string; per?: ("agent" | "tool" | "session")[] };
  quota?: { limit: number; window: string; amount: string; per?: ("agent" | "tool" | "session")[] };
  redact?: { paths?: string[]; detectors?: string[]; in?: ("args" | "result")[] };
  time_window?: {
    timezone?: string;
    days?: string[];
    hours?: string;
    outside?: "deny" | "require_approval";
  };
  require_justification?: { min_length?: number; effect?: "deny" | "require_approval" };
  alert?: { severity?: string; channels?: string[]; message?: string };
  max_risk?: { score: number; effect?: "deny" | "require_approval" };
  dry_run?: { effect: PolicyAction };
}
