/**
 * Stage `validate`: YAML documents → typed model (model.ts). Structure is checked against the
 * published JSON Schema (schema-check.ts); the rules a schema cannot say well (a setting that
 * belongs to another policy type, duplicate ids and names, time zones, template references) are
 * checked here. A document with structural errors contributes nothing to later stages.
 */

import { isMap, isScalar, type Node, type Scalar } from "yaml";
import { isTimeZone as validTimeZone } from "../../grammar/builtins/time.js";
import type { Diagnostic, Span } from "../../grammar/index.js";
import { M } from "../diagnostics/catalogue.js";
import { error } from "../diagnostics/report.js";
import type {
  ApprovalSettings,
  ApprovalTemplateNode,
  ConditionSource,
  LoadedDocument,
  PolicyNode,
  PolicySetNode,
  PolicyTypeName,
  RiskModelNode,
  ValidatedProgram,
} from "../model.js";
import { conditionText, locator, nodeAt, nodeSpan, pairOf } from "../source/locate.js";
import { didYouMean } from "./did-you-mean.js";
import { check, defSchema } from "./schema-check.js";

const KINDS = ["PolicySet", "ApprovalTemplate", "RiskModel"] as const;
export const API_VERSION = "paracle.dev/v1";

/** Settings key each policy type reads (undefined: none). */
export const SETTINGS_KEY: Record<PolicyTypeName, string | undefined> = {
  allow: undefined,
  deny: undefined,
  require_approval: "approval",
  audit: "audit",
  rate_limit: "rate_limit",
  quota: "quota",
  redact: "redact",
  time_window: "time_window",
  require_justification: "require_justification",
  alert: "alert",
  max_risk: "max_risk",
  dry_run: "dry_run",
};
const REQUIRED_SETTINGS = new Set(["rate_limit", "quota", "time_window", "max_risk", "dry_run"]);
const SETTINGS_KEYS = new Set(
  Object.values(SETTINGS_KEY).filter((k): k is string => k !== undefined),
);
/** Gate types whose effect may be `require_approval`, hence may carry `approval` settings. */
const MAY_CARRY_APPROVAL = new Set(["time_window", "require_justification", "max_risk"]);

export interface ValidateResult {
  program: ValidatedProgram;
  diagnostics: Diagnostic[];
}

export function validate(documents: readonly LoadedDocument[]): ValidateResult {
  const diagnostics: Diagnostic[] = [];
  const program: ValidatedProgram = { sets: [], templates: [], riskModels: [] };
  for (const doc of documents) {
    const { file, lineCounter } = doc.source;
    const root = doc.document.contents as Node | null;
    const spanOf = (n: Node | null | undefined) => nodeSpan(file, lineCounter, n);
    if (!isMap(root)) {
      diagnostics.push(error(M.notAMapping(), spanOf(root)));
      continue;
    }
    const apiPair = pairOf(root, "apiVersion");
    const kindPair = pairOf(root, "kind");
    if (!apiPair) diagnostics.push(error(M.missingField("apiVersion", "document"), spanOf(root)));
    else if (!isScalar(apiPair.value) || apiPair.value.value !== API_VERSION) {
      diagnostics.push(
        error(
          M.badApiVersion(isScalar(apiPair.value) ? apiPair.value.value : "?"),
          spanOf(apiPair.value),
        ),
      );
    }
    if (!kindPair) {
      diagnostics.push(error(M.missingField("kind", "document"), spanOf(root)));
      continue;
    }
    const kind = isScalar(kindPair.value) ? String(kindPair.value.value) : "";
    if (!(KINDS as readonly string[]).includes(kind)) {
      if (kind === "PolicyTest") continue; // test suites live in *_test.yaml; tolerated elsewhere
      diagnostics.push(error(M.unknownKind(kind, didYouMean(kind, KINDS)), spanOf(kindPair.value)));
      continue;
    }
    const before = diagnostics.length;
    check(root, defSchema(kind), [], { spanOf, diagnostics });
    if (diagnostics.length > before) continue;
    const value = doc.document.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
    const locate = locator(file, lineCounter, root);
    const meta = value.metadata as { name: string; description?: string; version?: string };
    const span = spanOf(root);
    if (kind === "PolicySet") {
      program.sets.push(policySet(doc, root, value, locate, diagnostics));
    } else if (kind === "ApprovalTemplate") {
      program.templates.push({
        name: meta.name,
        spec: value.spec as ApprovalSettings,
        file,
        span: locate(["metadata", "name"]),
      });
    } else {
      const { text, lineCounter: lc } = doc.source;
      const rm: RiskModelNode = {
        name: meta.name,
        value,
        locate: (p) => locate(p),
        expressionAt: (p) => {
          const n = nodeAt(root, p);
          if (!isScalar(n) || typeof n.value !== "string") return undefined;
          const t = conditionText(text, lc, n as Scalar);
          return { text: t.parseText, origin: { file, line: t.line, col: t.col } };
        },
        file,
        span,
      };
      program.riskModels.push(rm);
    }
  }
  crossChecks(program, diagnostics);
  return { program, diagnostics };
}

function policySet(
  doc: LoadedDocument,
  root: Node,
  value: Record<string, unknown>,
  locate: (p: (string | number)[], key?: boolean) => Span,
  diagnostics: Diagnostic[],
): PolicySetNode {
  const { file, lineCounter, text } = doc.source;
  const meta = value.metadata as { name: string; description?: string; version?: string };
  const constants = (value.constants ?? {}) as Record<string, unknown>;
  const constantSpans: Record<string, Span> = {};
  for (const name of Object.keys(constants))
    constantSpans[name] = locate(["constants", name], true);
  const set: PolicySetNode = {
    name: meta.name,
    description: meta.description,
    version: meta.version,
    extends: ((value.extends ?? []) as string[]).map((ref, i) => ({
      ref,
      span: locate(["extends", i]),
    })),
    schema: (value.schema ?? {}) as Record<string, Record<string, string>>,
    constants,
    constantSpans,
    actions: (value.actions ?? []) as PolicySetNode["actions"],
    defaults: value.defaults
      ? {
          decision: ((value.defaults as { decision?: string }).decision ?? "deny") as "deny",
          ...(value.defaults as object),
        }
      : undefined,
    policies: [],
    file,
    span: locate([]),
    nameSpan: locate(["metadata", "name"]),
  };
  const seen = new Map<string, Span>();
  const raw = (value.policies ?? []) as Record<string, unknown>[];
  raw.forEach((p, i) => {
    const base: (string | number)[] = ["policies", i];
    const at = (path: (string | number)[], key = false) => locate([...base, ...path], key);
    const id = p.id as string;
    const span = at(["id"]);
    const first = seen.get(id);
    if (first)
      diagnostics.push(error(M.duplicateId(id, `${first.file}:${first.line}:${first.col}`), span));
    else seen.set(id, span);
    const type = p.type as PolicyTypeName | undefined;
    const enabled = p.enabled !== false;
    if (type === undefined && enabled)
      diagnostics.push(error(M.missingField("type", `policy \`${id}\``), at([])));
    const settings: Record<string, unknown> = {};
    for (const key of Object.keys(p)) {
      if (!SETTINGS_KEYS.has(key)) continue;
      const own = type !== undefined && SETTINGS_KEY[type] === key;
      const approvalOnGate =
        key === "approval" && type !== undefined && MAY_CARRY_APPROVAL.has(type);
      if (type !== undefined && !own && !approvalOnGate) {
        diagnostics.push(error(M.settingForOtherType(key, type), at([key], true)));
      }
      settings[key] = p[key];
    }
    const need = type === undefined ? undefined : SETTINGS_KEY[type];
    if (need !== undefined && REQUIRED_SETTINGS.has(need) && settings[need] === undefined) {
      diagnostics.push(error(M.missingSettings(need, type!), at(["type"])));
    }
    const scope = (p.scope ?? "action") as PolicyNode["scope"];
    const match = { phase: "call", ...(p.match as object | undefined) } as PolicyNode["match"];
    if (scope === "agent" && !match.agents && !match.roles) {
      diagnostics.push(error(M.scopeNeedsMatch(scope, "agents` or `match.roles"), at(["scope"])));
    }
    if (scope === "workflow" && !match.workflows) {
      diagnostics.push(error(M.scopeNeedsMatch(scope, "workflows"), at(["scope"])));
    }
    const tw = settings.time_window as { timezone?: string } | undefined;
    if (tw?.timezone !== undefined && !validTimeZone(tw.timezone)) {
      diagnostics.push(error(M.badTimeZone(tw.timezone), at(["time_window", "timezone"])));
    }
    const policyNode = nodeAt(root, base);
    const cond = (path: (string | number)[]): ConditionSource | undefined => {
      const n = nodeAt(policyNode, path);
      if (!isScalar(n) || typeof n.value !== "string") return undefined;
      const t = conditionText(text, lineCounter, n as Scalar);
      return {
        text: n.value.trim(),
        parseText: t.parseText,
        origin: { file, line: t.line, col: t.col },
        span: nodeSpan(file, lineCounter, n),
      };
    };
    set.policies.push({
      id,
      description: p.description as string | undefined,
      type,
      scope,
      match,
      when: p.when === undefined ? undefined : cond(["when"]),
      reason: p.reason as string | undefined,
      priority: (p.priority as number | undefined) ?? 0,
      enabled,
      iso_controls: (p.iso_controls ?? []) as string[],
      settings,
      amount: type === "quota" && p.quota ? cond(["quota", "amount"]) : undefined,
      file,
      span,
      locate: (path) => at(path),
      set: meta.name,
    });
  });
  return set;
}

/** Duplicate names across documents, at most one risk model, template references. */
function crossChecks(program: ValidatedProgram, diagnostics: Diagnostic[]): void {
  const at = (s: Span) => `${s.file}:${s.line}:${s.col}`;
  const dupes = <T extends { name: string }>(items: T[], kind: string, span: (t: T) => Span) => {
    const seen = new Map<string, Span>();
    for (const item of items) {
      const first = seen.get(item.name);
      if (first) diagnostics.push(error(M.duplicateName(kind, item.name, at(first)), span(item)));
      else seen.set(item.name, span(item));
    }
  };
  dupes(program.sets, "policy set", (s) => s.nameSpan);
  dupes(program.templates, "approval template", (t: ApprovalTemplateNode) => t.span);
  const [firstModel, ...others] = program.riskModels;
  for (const m of others)
    diagnostics.push(error(M.multipleRiskModels(at(firstModel!.span)), m.span));
  const names = program.templates.map((t) => t.name);
  const refs = (
    a: ApprovalSettings | undefined,
    span: (p: (string | number)[]) => Span,
    base: (string | number)[],
  ) => {
    if (!a) return;
    const checkRef = (name: string | undefined, path: (string | number)[]) => {
      if (name !== undefined && !names.includes(name)) {
        diagnostics.push(
          error(M.unknownTemplate(name, didYouMean(name, names)), span([...base, ...path])),
        );
      }
    };
    checkRef(a.template, ["template"]);
    for (const [level, name] of Object.entries(a.by_risk ?? {})) checkRef(name, ["by_risk", level]);
  };
  for (const set of program.sets) {
    for (const p of set.policies)
      refs(p.settings.approval as ApprovalSettings | undefined, p.locate, ["approval"]);
  }
}

export { defSchema };
