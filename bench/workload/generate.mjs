// The same policy workload in three languages — Paracle YAML, Cedar, Cerbos — plus decision inputs.
// Pure and seeded: the same size and seed give the same files, so runs are comparable.
//
// Model shared by the three engines:
//   - ~200 tools named `s<k>.op<j>` (k < 20, j < 10); Cerbos uses `s<k>:op<j>` because its action
//     wildcards split on `:`; Cedar models the tool as the resource `Tool::"s<k>.op<j>"`.
//   - agents carry one role `r<0..9>`; context: amount, score, target, hour.
//   - rule i has kind i % 5:
//       0 allow exact tool for a role when score <= bound
//       1 deny exact tool when amount > bound                 (numeric)
//       2 deny exact tool when target starts with a prefix    (string)
//       3 allow every tool of a service (prefix) for a role when score < 90
//       4 deny exact tool at night (hour < 5)                 (time of day)
//   Semantics are the same in all three: deny overrides allow, no allow ⇒ deny.

export const TOOL_COUNT = 200;
const SERVICES = 20;
const OPS = 10;

export function toolName(t) {
  return `s${Math.floor(t / OPS) % SERVICES}.op${t % OPS}`;
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Abstract rules, rendered below into each language. */
export function rules(size) {
  const out = [];
  for (let i = 0; i < size; i++) {
    const kind = i % 5;
    const tool = toolName((i * 7919) % TOOL_COUNT);
    const role = `r${Math.floor(i / 5) % 10}`;
    const service = `s${Math.floor(i / 5) % SERVICES}`;
    switch (kind) {
      case 0:
        out.push({ id: `rule-${i}`, kind, effect: "allow", tool, role, bound: 40 + (i % 50) });
        break;
      case 1:
        out.push({ id: `rule-${i}`, kind, effect: "deny", tool, bound: 500 + ((i * 37) % 1000) });
        break;
      case 2:
        out.push({ id: `rule-${i}`, kind, effect: "deny", tool, prefix: `prod-${i % 7}` });
        break;
      case 3:
        out.push({ id: `rule-${i}`, kind, effect: "allow", service, role });
        break;
      default:
        out.push({ id: `rule-${i}`, kind, effect: "deny", tool, bound: 5 });
    }
  }
  return out;
}

const q = (s) => JSON.stringify(s);

export function toParacleYaml(size) {
  const lines = [
    "apiVersion: paracle.dev/v1",
    "kind: PolicySet",
    "metadata:",
    `  name: bench-${size}`,
    "defaults:",
    "  decision: deny",
    "policies:",
  ];
  for (const r of rules(size)) {
    lines.push(`  - id: ${r.id}`, `    type: ${r.effect}`, "    match:");
    if (r.kind === 3) lines.push(`      actions: [${q(`${r.service}.*`)}]`);
    else lines.push(`      actions: [${q(r.tool)}]`);
    if (r.role) lines.push(`      roles: [${r.role}]`);
    let when;
    if (r.kind === 0) when = `args.score <= ${r.bound}`;
    else if (r.kind === 1) when = `args.amount > ${r.bound}`;
    else if (r.kind === 2) when = `args.target.startsWith(${q(r.prefix)})`;
    else if (r.kind === 3) when = "args.score < 90";
    else when = `time.getHours("UTC") < ${r.bound}`;
    lines.push(`    when: ${q(when)}`);
  }
  return `${lines.join("\n")}\n`;
}

export function toCedar(size) {
  const out = [];
  for (const r of rules(size)) {
    const head = `@id(${q(r.id)})\n`;
    if (r.kind === 0) {
      out.push(
        `${head}permit(principal in Role::${q(r.role)}, action == Action::"call", resource == Tool::${q(r.tool)}) when { context.score <= ${r.bound} };`,
      );
    } else if (r.kind === 1) {
      out.push(
        `${head}forbid(principal, action == Action::"call", resource == Tool::${q(r.tool)}) when { context.amount > ${r.bound} };`,
      );
    } else if (r.kind === 2) {
      out.push(
        `${head}forbid(principal, action == Action::"call", resource == Tool::${q(r.tool)}) when { context.target like ${q(`${r.prefix}*`)} };`,
      );
    } else if (r.kind === 3) {
      out.push(
        `${head}permit(principal in Role::${q(r.role)}, action == Action::"call", resource) when { resource.name like ${q(`${r.service}.*`)} && context.score < 90 };`,
      );
    } else {
      out.push(
        `${head}forbid(principal, action == Action::"call", resource == Tool::${q(r.tool)}) when { context.hour < ${r.bound} };`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}

const cerbosAction = (tool) => tool.replace(".", ":");

export function toCerbos(size) {
  const lines = [
    "apiVersion: api.cerbos.dev/v1",
    "resourcePolicy:",
    '  version: "default"',
    '  resource: "tool"',
    "  rules:",
  ];
  for (const r of rules(size)) {
    const actions = r.kind === 3 ? `${r.service}:*` : cerbosAction(r.tool);
    let expr;
    if (r.kind === 0) expr = `request.resource.attr.score <= ${r.bound}`;
    else if (r.kind === 1) expr = `request.resource.attr.amount > ${r.bound}`;
    else if (r.kind === 2) expr = `request.resource.attr.target.startsWith(${q(r.prefix)})`;
    else if (r.kind === 3) expr = "request.resource.attr.score < 90";
    else expr = `request.resource.attr.hour < ${r.bound}`;
    lines.push(
      `    - name: ${q(r.id)}`,
      `      actions: [${q(actions)}]`,
      `      effect: ${r.effect === "allow" ? "EFFECT_ALLOW" : "EFFECT_DENY"}`,
      `      roles: [${q(r.role ?? "*")}]`,
      "      condition:",
      "        match:",
      `          expr: ${q(expr)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Decision inputs, as one abstract case rendered per engine. Tools are drawn so most inputs hit
 * a tool with rules; amounts/scores/hours straddle the bounds so both outcomes occur.
 */
export function inputs(count, seed = 42) {
  const rand = rng(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const tool = toolName(Math.floor(rand() * TOOL_COUNT));
    const role = `r${Math.floor(rand() * 10)}`;
    const hour = Math.floor(rand() * 24);
    const c = {
      tool,
      role,
      amount: Math.floor(rand() * 2000),
      score: Math.floor(rand() * 100),
      target: rand() < 0.3 ? `prod-${Math.floor(rand() * 7)}-db` : "staging-db",
      hour,
      time: `2026-11-25T${String(hour).padStart(2, "0")}:15:00Z`,
    };
    out.push(c);
  }
  return out;
}

export function paracleInput(c) {
  return {
    agent: { id: "bench-agent", roles: [c.role], trust_level: 3 },
    action: { name: c.tool, kind: "execute" },
    args: { amount: c.amount, score: c.score, target: c.target },
    time: c.time,
  };
}

export function cedarRequest(c) {
  return {
    principal: { type: "Agent", id: "bench-agent" },
    action: { type: "Action", id: "call" },
    resource: { type: "Tool", id: c.tool },
    context: { amount: c.amount, score: c.score, target: c.target, hour: c.hour },
    entities: [
      {
        uid: { type: "Agent", id: "bench-agent" },
        attrs: {},
        parents: [{ type: "Role", id: c.role }],
      },
      { uid: { type: "Role", id: c.role }, attrs: {}, parents: [] },
      { uid: { type: "Tool", id: c.tool }, attrs: { name: c.tool }, parents: [] },
    ],
  };
}

export function cerbosRequest(c, i = 0) {
  return {
    requestId: `r${i}`,
    principal: { id: "bench-agent", roles: [c.role], attr: {} },
    resources: [
      {
        actions: [cerbosAction(c.tool)],
        resource: {
          kind: "tool",
          id: c.tool,
          attr: { amount: c.amount, score: c.score, target: c.target, hour: c.hour },
        },
      },
    ],
  };
}

/** The reference answer, computed from the abstract rules (used to check all three engines). */
export function expected(size, c) {
  let allowed = false;
  for (const r of rules(size)) {
    const toolMatch = r.kind === 3 ? c.tool.startsWith(`${r.service}.`) : c.tool === r.tool;
    if (!toolMatch) continue;
    if (r.role && r.role !== c.role) continue;
    let cond;
    if (r.kind === 0) cond = c.score <= r.bound;
    else if (r.kind === 1) cond = c.amount > r.bound;
    else if (r.kind === 2) cond = c.target.startsWith(r.prefix);
    else if (r.kind === 3) cond = c.score < 90;
    else cond = c.hour < r.bound;
    if (!cond) continue;
    if (r.effect === "deny") return "deny";
    allowed = true;
  }
  return allowed ? "allow" : "deny";
}
