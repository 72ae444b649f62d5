/**
 * The compiler's internal model: what the validate stage produces from YAML documents and what
 * later stages refine. Every element keeps the YAML node it came from so diagnostics can point at
 * `file:line:col` (see source/locate.ts).
 */

import type { Document, LineCounter } from "yaml";
import type { Span } from "../grammar/index.js";

/** One policy file as read from disk. `file` is relative to the policy dir, with `/`. */
export interface SourceFile {
  file: string;
  text: string;
  sha256: string;
  lineCounter: LineCounter;
  documents: Document.Parsed[];
}

/** A YAML document of a known kind, with its source. */
export interface LoadedDocument {
  source: SourceFile;
  document: Document.Parsed;
  /** Index of the document within its file (0-based). */
  index: number;
}

export const POLICY_TYPES = [
  "allow",
  "deny",
  "require_approval",
  "audit",
  "rate_limit",
  "quota",
  "redact",
  "time_window",
  "require_justification",
  "alert",
  "max_risk",
  "dry_run",
] as const;
export type PolicyTypeName = (typeof POLICY_TYPES)[number];

export type Effect = "allow" | "deny" | "require_approval";

/** A condition written in the condition language, with where its text starts in the YAML file. */
export interface ConditionSource {
  /** The scalar's value as YAML reads it (shown in explanations). */
  text: string;
  /** Text handed to the parser: the raw scalar slice when it maps 1:1 onto the file. */
  parseText: string;
  origin: { file: string; line: number; col: number };
  span: Span;
}

export interface MatchSpec {
  actions?: string[];
  agents?: string[];
  roles?: string[];
  workflows?: string[];
  phase: "call" | "list" | "any";
}

export interface ApprovalSettings {
  levels?: { roles: string[]; users?: string[]; required?: number; of?: number }[];
  timeout?: string;
  on_timeout?: "reject" | "approve" | "escalate";
  escalate_to?: string[];
  mode?: "hold" | "async";
  template?: string;
  by_risk?: Partial<Record<"low" | "medium" | "high" | "critical", string>>;
  auto_approve_below?: number;
  reminders?: string[];
  require_reason_on_reject?: boolean;
}

/** A policy as written (after validation), before inheritance. */
export interface PolicyNode {
  id: string;
  description?: string;
  type?: PolicyTypeName;
  scope: "action" | "agent" | "workflow";
  match: MatchSpec;
  when?: ConditionSource;
  reason?: string;
  priority: number;
  enabled: boolean;
  iso_controls: string[];
  /** Type-specific settings keyed by their YAML key (`approval`, `rate_limit`, ...). */
  settings: Record<string, unknown>;
  /** Conditions inside settings (quota `amount`). */
  amount?: ConditionSource;
  file: string;
  span: Span;
  /** Locates a sub-path of this policy's YAML node (e.g. ["match", "actions", 0]). */
  locate: (path: (string | number)[]) => Span;
  /** Name of the set that declared it. */
  set: string;
}

export interface ActionEntry {
  name: string;
  kind?: string;
  description?: string;
}

export interface PolicySetNode {
  name: string;
  description?: string;
  version?: string;
  extends: { ref: string; span: Span }[];
  schema: Record<string, Record<string, string>>;
  constants: Record<string, unknown>;
  constantSpans: Record<string, Span>;
  actions: ActionEntry[];
  defaults?: { decision: Effect; reason?: string; approval?: ApprovalSettings };
  policies: PolicyNode[];
  file: string;
  span: Span;
  nameSpan: Span;
}

export interface ApprovalTemplateNode {
  name: string;
  spec: ApprovalSettings;
  file: string;
  span: Span;
}

export interface RiskModelNode {
  name: string;
  /** The plain JS object of the whole document (what compileRiskModel receives). */
  value: unknown;
  locate: (path: (string | number)[]) => Span;
  /** The text to parse and its origin for an expression scalar at `path` (see conditionText). */
  expressionAt: (
    path: (string | number)[],
  ) => { text: string; origin: { file: string; line: number; col: number } } | undefined;
  file: string;
  span: Span;
}

/** Output of the validate stage. */
export interface ValidatedProgram {
  sets: PolicySetNode[];
  templates: ApprovalTemplateNode[];
  riskModels: RiskModelNode[];
}

/** A rule after inheritance: one entry of the bundle. `order` is its evaluation rank. */
export interface EffectiveRule extends PolicyNode {
  type: PolicyTypeName;
  /** Constants visible to this rule (its set's, merged with its ancestors'). */
  constants: Record<string, unknown>;
  /** Action catalogue visible to this rule. */
  catalogue: ActionEntry[];
}

/** Output of the inheritance stage. */
export interface ResolvedProgram extends ValidatedProgram {
  rules: EffectiveRule[];
  schemaExtension: Record<string, Record<string, string>>;
  defaults: { decision: Effect; reason: string; approval?: ApprovalSettings };
  /** Sets that no other set extends: what the bundle is made of. */
  roots: PolicySetNode[];
  /** Effective constants per set name (own + inherited). */
  setConstants: Map<string, Record<string, unknown>>;
}
