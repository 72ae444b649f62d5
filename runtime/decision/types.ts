/**
 * The decision contract (see ARCHITECTURE.md "Contracts others depend on").
 * These types are shared by the compiler (which generates code producing them), the runtime
 * (which enriches them with state: rate limits, quotas, history) and the proxy (which enforces
 * them). Extend, don't break.
 */

export type DecisionEffect = "allow" | "deny" | "require_approval";

export type RiskLevelName = "low" | "medium" | "high" | "critical";

/** The decision input (context) given to a bundle's `decide` function. */
export interface DecisionInput {
  agent: {
    id: string;
    roles?: string[];
    trust_level?: number;
    owner?: string;
    [attribute: string]: unknown;
  };
  action: {
    /** Dotted action name, e.g. `db.delete` (for MCP, the tool name). */
    name: string;
    kind?: "read" | "write" | "delete" | "execute" | "communicate" | "payment" | string;
    /** `call` (default) or `list` (tools/list visibility), see the sidecar docs. */
    phase?: "call" | "list";
    [attribute: string]: unknown;
  };
  args?: Record<string, unknown>;
  workflow?: { id?: string; step?: string; [attribute: string]: unknown };
  session?: { id?: string; [attribute: string]: unknown };
  resource?: { [attribute: string]: unknown };
  /** ISO 8601; defaults to now when absent. */
  time?: string;
  /** Justification carried by the call (for `require_justification` policies). */
  justification?: string;
  /** Per-agent behaviour statistics maintained by the runtime (risk issue). */
  history?: {
    calls?: number;
    denials?: number;
    errors?: number;
    rate?: number;
    anomaly?: number;
    [k: string]: unknown;
  };
  [key: string]: unknown;
}

export interface SourceRef {
  file: string;
  line: number;
}

export interface MatchedRule {
  id: string;
  type: string;
  source: SourceRef;
  reason?: string;
  /** Present when the rule's condition raised an error at evaluation time. */
  error?: string;
}

export type Obligation =
  | { type: "audit"; policy: string; tags?: string[]; keep_args?: boolean }
  | {
      type: "redact";
      policy: string;
      paths?: string[];
      detectors?: string[];
      in?: ("args" | "result")[];
    }
  | {
      type: "rate_limit";
      policy: string;
      limit: number;
      window_ms: number;
      per: ("agent" | "tool" | "session")[];
    }
  | {
      type: "quota";
      policy: string;
      limit: number;
      window_ms: number;
      amount: number;
      per: ("agent" | "tool" | "session")[];
    }
  | { type: "alert"; policy: string; severity?: string; channels?: string[]; message?: string }
  | { type: string; policy: string; [k: string]: unknown };

export interface RiskFactorResult {
  id: string;
  raw: number;
  normalized: number;
  weight: number;
  contribution: number;
  /** Present when the factor's expression failed at run time (it then took its `on_error` value). */
  error?: string;
}

export interface RiskAssessment {
  score: number;
  level: RiskLevelName;
  factors: RiskFactorResult[];
}

export interface ApprovalLevel {
  /** Roles that may approve at this level. */
  roles: string[];
  users?: string[];
  /** How many distinct approvers this level needs (N of M). Default 1. */
  required?: number;
  /** Size of the approver pool (the M of N of M), when declared. */
  of?: number;
}

export interface ApprovalRequirement {
  policy: string;
  levels: ApprovalLevel[];
  timeout_ms?: number;
  on_timeout?: "reject" | "approve" | "escalate";
  escalate_to?: string[];
  mode?: "hold" | "async";
  template?: string;
  /** Risk level ⇒ template name; selects the chain by the decision's risk level. */
  by_risk?: Partial<Record<RiskLevelName, string>>;
  /** Risk score under which the request is approved at once. */
  auto_approve_below?: number;
  /** Reminder offsets from creation, in ms. */
  reminders_ms?: number[];
  /** A rejection must carry a reason. */
  require_reason_on_reject?: boolean;
}

export interface Decision {
  decision: DecisionEffect;
  reasons: string[];
  matched: MatchedRule[];
  obligations: Obligation[];
  risk: RiskAssessment;
  approval?: ApprovalRequirement;
  /** Would-be decisions of `dry_run` policies, recorded but not enforced. */
  dry_run?: { policy: string; decision: DecisionEffect }[];
  /** Errors raised while evaluating conditions (the decision failed closed on them). */
  errors?: { policy: string; message: string }[];
  bundle: { hash: string };
}

/** What a compiled bundle (`bundle.mjs`) exports. */
export interface CompiledBundle {
  decide(input: DecisionInput): Decision;
  /** Sorted list of action names / globs the bundle knows about. */
  readonly actions?: readonly string[];
  readonly metadata: { version: string; hash?: string; policies: readonly string[] };
}
