import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileForTests } from "./compile-for-tests.js";
import { runPolicyTests } from "./policy-tests.js";

const dir = mkdtempSync(join(tmpdir(), "paracle-branches-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, "p.yaml"),
  `apiVersion: paracle.dev/v1
kind: PolicySet
metadata: { name: t }
policies:
  - id: allow-read
    type: allow
    match: { actions: [files.read] }
  - id: deny-secret
    type: deny
    match: { actions: [files.read] }
    when: 'args.path.startsWith("/secret") && (agent.trust_level < 3 || args.path.endsWith(".key"))'
  - id: deny-never
    type: deny
    match: { actions: [nuke] }
`,
);
writeFileSync(
  join(dir, "p_test.yaml"),
  `apiVersion: paracle.dev/v1
kind: PolicyTest
metadata: { name: t }
now: "2025-01-01T00:00:00Z"
cases:
  - name: low-trust agents cannot read secrets
    input: { agent: { id: a, trust_level: 1 }, action: files.read, args: { path: /secret/a.txt } }
    expect: { decision: deny, matched: [deny-secret] }
  - name: public files are readable
    input: { agent: { id: a, trust_level: 1 }, action: files.read, args: { path: /pub/a.txt } }
    expect: { decision: allow }
  - name: another action does not count for the rule's branches
    input: { agent: { id: a, trust_level: 5 }, action: echo, args: { path: /secret/k.key } }
    expect: { decision: deny, matched_exactly: [] }
`,
);

describe("branch coverage with the real compiler", () => {
  it("reports both outcomes of the condition and of each && / || operand, for candidate actions only", async () => {
    const report = await runPolicyTests({ dir, compile: compileForTests, coverage: true });
    expect(report.totals).toMatchObject({ passed: 3, failed: 0 });
    const file = report.coverage!.files[0]!;
    expect(file.file).toBe(join(dir, "p.yaml"));
    expect(file.rules).toEqual({ total: 3, covered: 2, percent: 66.66 });
    expect(file.uncoveredRules.map((r) => r.id)).toEqual(["deny-never"]);
    expect(file.branches).toEqual({ total: 6, covered: 5, percent: 83.33 });
    expect(file.uncoveredBranches).toEqual([
      { rule: "deny-secret", line: 8, description: "`agent.trust_level < 3` never false" },
    ]);
  });

  it("reports policy compile errors as diagnostics and runs nothing", async () => {
    const bad = mkdtempSync(join(dir, "bad-"));
    writeFileSync(
      join(bad, "p.yaml"),
      "apiVersion: paracle.dev/v1\nkind: PolicySet\nmetadata: { name: b }\npolicies:\n  - id: x\n    type: alow\n",
    );
    writeFileSync(
      join(bad, "p_test.yaml"),
      "apiVersion: paracle.dev/v1\nkind: PolicyTest\nmetadata: { name: b }\ncases:\n  - { name: c, input: { agent: { id: a }, action: echo }, expect: { decision: deny } }\n",
    );
    const report = await runPolicyTests({ dir: bad, compile: compileForTests });
    expect(report.ok).toBe(false);
    expect(report.suites).toEqual([]);
    expect(report.formattedDiagnostics[0]).toMatch(
      new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/p\\.yaml:6:11: error`),
    );
  });
});
