/**
 * The bundle's decision runtime: plain JavaScript inlined once in every `bundle.mjs`, after the
 * grammar's PRELUDE. It is a string (not a stringified function) so the emitted bytes never depend
 * on how this file was transpiled. Names start with `$pc_`; the generated part of the bundle defines
 * `$pc_RULES`, `$pc_EXACT`, `$pc_DYNAMIC`, `$pc_DEFAULTS`, `$pc_RISK_APPROVAL` and `$risk`.
 *
 * Semantics (docs/policy-format.md "Semantics"):
 * - only rules indexed under the action name run (exact names through a Map, globs and `*` via a
 *   bounded per-name cache), in evaluation order (priority desc, then declaration order);
 * - deny > require_approval > allow; a `require_approval` policy permits with approval, gates
 *   (`time_window`, `require_justification`, `max_risk`, the risk level's action) only restrict;
 * - nothing permits ⇒ `defaults.decision`; obligations accumulate in evaluation order;
 * - a condition that throws (or yields a non-boolean) is recorded in `errors`; the rule then
 *   counts as matching unless it is an `allow` (fail closed).
 */
export const RUNTIME_PRELUDE = String.raw`// ---- decision runtime (paracle compiler) ----
const $pc_DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const $pc_DAY_INDEX = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

// Escapes regex syntax characters only: with the u flag an identity escape of anything else
// (e.g. \-) is a syntax error, so release-* must become /^release-.*$/su.
function $pc_globRegExp(p) {
  let s = "^";
  for (const ch of p) s += ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[\\^$.|+()[\]{}*?/]/g, "\\$&");
  return new RegExp(s + "$", "su");
}

function $pc_matcher(patterns) {
  if (patterns === undefined || patterns === null) return undefined;
  // one: the only pattern when it is a single exact name (the common case), compared with ===
  const m = { any: false, one: undefined, exact: new Set(), globs: [] };
  for (const p of patterns) {
    if (p === "*") m.any = true;
    else if (p.includes("*") || p.includes("?")) m.globs.push($pc_globRegExp(p));
    else m.exact.add(p);
  }
  if (!m.any && m.globs.length === 0 && m.exact.size === 1) m.one = m.exact.values().next().value;
  return m;
}

function $pc_test(m, name) {
  if (m === undefined || m.any) return true;
  if (m.one !== undefined) return m.one === name;
  if (typeof name !== "string") return false;
  if (m.exact.has(name)) return true;
  for (let i = 0; i < m.globs.length; i++) if (m.globs[i].test(name)) return true;
  return false;
}

function $pc_testAny(m, names) {
  if (m === undefined || m.any) return true;
  if (!Array.isArray(names)) return false;
  for (let i = 0; i < names.length; i++) if ($pc_test(m, names[i])) return true;
  return false;
}

function $pc_field(o, k) {
  return o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

/**
 * The input's facts that rules match on besides the action name, read once per decision (not
 * once per candidate rule). One instance is reused: \`$pc_decide\` is synchronous and not
 * re-entrant (conditions cannot call back into it), so no allocation per decision.
 */
const $pc_FACTS = { agentId: undefined, roles: undefined, workflowId: undefined, phase: "call" };

function $pc_readFacts(input) {
  const agent = $pc_field(input, "agent");
  $pc_FACTS.agentId = $pc_field(agent, "id");
  $pc_FACTS.roles = $pc_field(agent, "roles");
  $pc_FACTS.workflowId = $pc_field($pc_field(input, "workflow"), "id");
  const phase = $pc_field(input.action, "phase");
  $pc_FACTS.phase = phase === undefined ? "call" : phase;
}

/** Agents, roles, workflows and phase of a rule (the action name is matched by the index). */
function $pc_matches(r, f) {
  if (r.agents !== undefined && !$pc_test(r.agents, f.agentId)) return false;
  if (r.roles !== undefined && !$pc_testAny(r.roles, f.roles)) return false;
  if (r.workflows !== undefined && !$pc_test(r.workflows, f.workflowId)) return false;
  return r.phase === "any" || f.phase === r.phase;
}

function $pc_deepFreeze(v) {
  if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) $pc_deepFreeze(v[k]);
  }
  return v;
}

/** Attaches code and matchers to the rule data table. */
function $pc_link(data, fns, amounts) {
  return data.map((d, i) => {
    const r = {
      i,
      id: d.id,
      type: d.type,
      file: d.file,
      line: d.line,
      reason: d.reason,
      failClosed: d.type !== "allow",
      s: $pc_deepFreeze(d.s === undefined ? {} : d.s),
      ob: d.ob === undefined ? undefined : $pc_deepFreeze(d.ob),
      approval: d.approval === undefined ? undefined : $pc_deepFreeze(d.approval),
      actions: $pc_matcher(d.actions),
      agents: $pc_matcher(d.agents),
      roles: $pc_matcher(d.roles),
      workflows: $pc_matcher(d.workflows),
      phase: d.phase,
      test: fns[i],
      amount: amounts[i],
      fmt: undefined,
    };
    if (d.type === "time_window") {
      r.fmt = new Intl.DateTimeFormat("en-US", {
        timeZone: r.s.timezone === undefined ? "UTC" : r.s.timezone,
        hourCycle: "h23",
        weekday: "short",
        hour: "2-digit",
        minute: "2-digit",
      });
    }
    return r;
  });
}

function $pc_exactIndex(entries) {
  const m = new Map();
  for (const [name, ids] of entries) m.set(name, ids.map((i) => $pc_RULES[i]));
  return m;
}

const $pc_CACHE = new Map();
const $pc_CACHE_LIMIT = 4096;

/** Rules whose action patterns match \`name\`, in evaluation order. */
function $pc_candidates(name) {
  const exact = $pc_EXACT.get(name);
  if (exact !== undefined) return exact;
  let c = $pc_CACHE.get(name);
  if (c !== undefined) return c;
  c = [];
  for (let i = 0; i < $pc_DYNAMIC.length; i++) if ($pc_test($pc_DYNAMIC[i].actions, name)) c.push($pc_DYNAMIC[i]);
  if ($pc_CACHE.size >= $pc_CACHE_LIMIT) $pc_CACHE.clear();
  $pc_CACHE.set(name, c);
  return c;
}

function $pc_message(e) {
  return e !== null && typeof e === "object" && typeof e.message === "string" ? e.message : String(e);
}

/** Minutes since local midnight and day index in the rule's time zone; inside the window? */
function $pc_inWindow(r, ms) {
  let day = 0;
  let minute = 0;
  for (const p of r.fmt.formatToParts(ms)) {
    if (p.type === "weekday") day = $pc_DAY_INDEX[p.value];
    else if (p.type === "hour") minute += (Number(p.value) % 24) * 60;
    else if (p.type === "minute") minute += Number(p.value);
  }
  const days = r.s.days;
  const from = r.s.from_min;
  const to = r.s.to_min;
  if (from === undefined) return days === undefined || days.includes($pc_DAY_NAMES[day]);
  if (from <= to) {
    return (days === undefined || days.includes($pc_DAY_NAMES[day])) && minute >= from && minute < to;
  }
  // the window wraps past midnight: the part after midnight belongs to the previous day
  if (minute >= from) return days === undefined || days.includes($pc_DAY_NAMES[day]);
  if (minute < to) return days === undefined || days.includes($pc_DAY_NAMES[(day + 6) % 7]);
  return false;
}

function $pc_approvalFor(a, policy, level) {
  if (a === undefined) return { policy, levels: [] };
  const chosen = a.by_risk !== undefined && Object.prototype.hasOwnProperty.call(a.by_risk, level) ? a.by_risk[level] : a.base;
  return Object.assign({ policy }, JSON.parse(JSON.stringify(chosen)));
}

function $pc_riskOf(ctx) {
  let r;
  try {
    r = $risk(ctx);
  } catch (e) {
    return { score: 100, level: "critical", factors: [], action: "deny", error: $pc_message(e) };
  }
  return r;
}

/** The object conditions see: the input, \`time\` defaulted to now, and \`risk\`. */
function $pc_context(input, risk) {
  const factors = Object.create(null);
  const list = Array.isArray(risk.factors) ? risk.factors : [];
  for (let i = 0; i < list.length; i++) factors[list[i].id] = list[i].raw;
  const ctx = { ...input }; // spread defines own properties: an input key "__proto__" stays data
  if (ctx.time === undefined) ctx.time = new Date().toISOString();
  ctx.risk = { score: risk.score, level: risk.level, factors };
  return ctx;
}

function $pc_invalid(message) {
  return {
    decision: "deny",
    reasons: ["invalid decision input"],
    matched: [],
    obligations: [],
    risk: { score: 100, level: "critical", factors: [] },
    errors: [{ policy: "input", message }],
    bundle: { hash: "" },
  };
}

function $pc_validInput(input) {
  return input !== null && typeof input === "object" && input.action !== null && typeof input.action === "object" && typeof input.action.name === "string";
}

/** Evaluates the bundle's rules for one decision input (pure apart from the default time). */
function $pc_decide(input) {
  if (!$pc_validInput(input)) return $pc_invalid("the input must be an object with \`action.name\` (a string)");
  // Per-decision allocations are kept to the output itself (GC pauses drive the p99): lists that
  // usually stay empty (errors, reasons by effect) are created on first use.
  let errors;
  const base = input.time === undefined ? { ...input, time: new Date().toISOString() } : input;
  const risk = $pc_riskOf(base);
  if (risk.error !== undefined) errors = [{ policy: "risk", message: risk.error }];
  // Conditions read the input itself unless one of them reads \`risk\` (checked at compile time):
  // they only read root names through $pg_get, never write, and never see other keys.
  const ctx = $pc_USES_RISK ? $pc_context(base, risk) : base;
  const candidates = $pc_candidates(input.action.name);
  $pc_readFacts(input);
  const matched = [];
  const obligations = [];
  let denyReasons;
  let approvalReasons;
  let allowReasons;
  let permitted = false;
  let approvalRule;
  let approvalPermits = false;
  let dryRun;
  let timeMs;
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i];
    if (!$pc_matches(r, $pc_FACTS)) continue;
    let error;
    let v;
    try {
      v = r.test(ctx);
    } catch (e) {
      error = $pc_message(e);
    }
    if (error === undefined) {
      if (v === false) continue;
      if (v !== true) error = "the condition did not evaluate to a boolean";
    }
    if (error !== undefined) {
      (errors ??= []).push({ policy: r.id, message: error });
      if (!r.failClosed) continue;
    }
    let effect;
    let reason = r.reason;
    switch (r.type) {
      case "allow":
      case "deny":
      case "require_approval":
        effect = r.type;
        break;
      case "audit":
      case "redact":
      case "alert":
      case "rate_limit":
        obligations.push(Object.assign({}, r.ob));
        break;
      case "quota": {
        let amount;
        try {
          amount = r.amount(ctx);
          if (typeof amount !== "number" || !Number.isFinite(amount)) throw new Error("the quota amount is not a finite number");
        } catch (e) {
          const message = $pc_message(e);
          (errors ??= []).push({ policy: r.id, message });
          error = error === undefined ? message : error;
          effect = "deny";
          reason = "the quota amount could not be evaluated";
          break;
        }
        obligations.push(Object.assign({}, r.ob, { amount }));
        break;
      }
      case "time_window": {
        if (timeMs === undefined) timeMs = Date.parse(ctx.time);
        if (Number.isNaN(timeMs)) {
          const message = "the input \`time\` is not an ISO 8601 date";
          (errors ??= []).push({ policy: r.id, message });
          error = error === undefined ? message : error;
        } else if ($pc_inWindow(r, timeMs)) continue;
        effect = r.s.outside;
        break;
      }
      case "require_justification": {
        const j = input.justification;
        if (error === undefined && typeof j === "string" && j.trim().length >= r.s.min_length) continue;
        effect = r.s.effect;
        break;
      }
      case "max_risk":
        if (error === undefined && !(risk.score > r.s.score)) continue;
        effect = r.s.effect;
        break;
      case "dry_run":
        if (dryRun === undefined) dryRun = [];
        dryRun.push({ policy: r.id, decision: r.s.effect });
        break;
    }
    const m = { id: r.id, type: r.type, source: { file: r.file, line: r.line } };
    if (reason !== undefined) m.reason = reason;
    if (error !== undefined) m.error = error;
    matched.push(m);
    if (effect === "deny") (denyReasons ??= []).push(reason);
    else if (effect === "require_approval") {
      (approvalReasons ??= []).push(reason);
      if (r.type === "require_approval") approvalPermits = true;
      if (approvalRule === undefined) approvalRule = r;
    } else if (effect === "allow") {
      permitted = true;
      (allowReasons ??= []).push(reason);
    }
  }
  let decision;
  let reasons;
  let approval;
  if (denyReasons !== undefined) {
    decision = "deny";
    reasons = denyReasons;
  } else if (!permitted && !approvalPermits) {
    decision = $pc_DEFAULTS.decision;
    reasons = [$pc_DEFAULTS.reason];
    if (decision === "require_approval") approval = $pc_approvalFor($pc_DEFAULTS.approval, "defaults", risk.level);
    else if (decision === "allow" && approvalRule !== undefined) {
      decision = "require_approval";
      reasons = approvalReasons;
    }
  } else if (approvalRule !== undefined) {
    decision = "require_approval";
    reasons = approvalReasons;
  } else {
    decision = "allow";
    reasons = allowReasons;
  }
  if (decision === "require_approval" && approval === undefined) approval = $pc_approvalFor(approvalRule.approval, approvalRule.id, risk.level);
  // the risk level's configured action feeds the decision unless a policy denies
  const action = risk.action;
  if (action === "deny" && decision !== "deny") {
    decision = "deny";
    reasons = ["risk level \`" + risk.level + "\` is denied by the risk model"];
    approval = undefined;
  } else if (action === "require_approval" && decision === "allow") {
    decision = "require_approval";
    reasons = reasons.concat(["risk level \`" + risk.level + "\` requires approval"]);
    approval =
      typeof risk.template === "string" && Object.prototype.hasOwnProperty.call($pc_TEMPLATES, risk.template)
        ? Object.assign({ policy: "risk" }, JSON.parse(JSON.stringify($pc_TEMPLATES[risk.template])))
        : $pc_approvalFor($pc_RISK_APPROVAL, "risk", risk.level);
  } else if (action === "audit") {
    obligations.push({ type: "audit", policy: "risk", tags: ["risk:" + risk.level], keep_args: true });
  }
  if (action === "alert" || risk.alert === true) {
    obligations.push({ type: "alert", policy: "risk", severity: risk.level, message: "risk level \`" + risk.level + "\` (score " + risk.score + ")" });
  }
  const out = {
    decision,
    reasons,
    matched,
    obligations,
    risk: { score: risk.score, level: risk.level, factors: Array.isArray(risk.factors) ? risk.factors : [] },
  };
  if (decision === "require_approval") out.approval = approval;
  if (dryRun !== undefined) out.dry_run = dryRun;
  if (errors !== undefined) out.errors = errors;
  out.bundle = { hash: "" };
  return out;
}
// ---- end of decision runtime ----
`;
