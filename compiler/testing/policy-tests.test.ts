import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { runPolicyTests, UsageError } from "./policy-tests.js";
import { formatJson } from "./reporters/json.js";
import { formatJunit } from "./reporters/junit.js";
import { formatPretty } from "./reporters/pretty.js";

const fixtures = join(import.meta.dirname, "test-helpers/fixtures");
const tiny = join(fixtures, "tiny");
const failing = join(fixtures, "failing");
const fixed = { now: () => Date.parse("2030-01-01T00:00:00Z"), timer: () => 0 };
const tmp = mkdtempSync(join(tmpdir(), "paracle-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("runPolicyTests against a hand-written bundle", () => {
  it("passes a correct suite and reports skipped cases", async () => {
    const report = await runPolicyTests({ dir: tiny, bundleDir: tiny, ...fixed });
    expect(report.diagnostics).toEqual([]);
    expect(report.totals).toEqual({ cases: 10, passed: 9, failed: 0, errors: 0, skipped: 1 });
    expect(report.ok).toBe(true);
  });

  it("accounts rule coverage per file and checks the threshold", async () => {
    const report = await runPolicyTests({
      dir: tiny,
      bundleDir: tiny,
      coverageThreshold: 90,
      ...fixed,
    });
    expect(report.coverage?.rules).toEqual({ total: 8, covered: 7, percent: 87.5 });
    expect(
      report.coverage?.files.map((f) => [
        f.file,
        f.rules.percent,
        f.uncoveredRules.map((u) => u.id),
      ]),
    ).toEqual([
      [join(tiny, "other.yaml"), 0, ["never-matched"]],
      [join(tiny, "tiny.yaml"), 100, []],
    ]);
    expect(report.threshold).toEqual({ required: 90, actual: 87.5, met: false });
    expect(report.ok).toBe(false);
    const met = await runPolicyTests({
      dir: tiny,
      bundleDir: tiny,
      coverageThreshold: 87.5,
      ...fixed,
    });
    expect(met.ok).toBe(true);
  });

  it("reports failing assertions, throwing bundles and unexpected condition errors", async () => {
    const report = await runPolicyTests({ dir: failing, bundleDir: tiny, ...fixed });
    expect(report.ok).toBe(false);
    const cases = report.suites[0]!.cases;
    expect(cases.map((c) => c.status)).toEqual(["failed", "error", "failed", "failed"]);
    expect(cases[0]!.mismatches.map((m) => `${m.field}: ${m.message}`)).toEqual([
      "decision: expected `deny`, got `allow`",
      "matched: rules not matched: `deny-prod-deletes`",
    ]);
    expect(cases[1]!.error).toBe("bundle exploded");
    expect(cases[2]!.mismatches[0]!.message).toBe(
      "condition errors: flaky: no such key: x (declare `expect.errors` if intended)",
    );
    expect(cases[0]!.span).toMatchObject({ file: join(failing, "failing_test.yaml"), line: 5 });
  });

  it("selects cases with --filter and rejects a filter that selects nothing", async () => {
    const sub = await runPolicyTests({ dir: tiny, bundleDir: tiny, filter: "REFUND", ...fixed });
    expect(sub.suites[0]!.cases.map((c) => c.name)).toEqual([
      "big refunds need two approval levels",
      "small refunds are allowed",
    ]);
    const glob = await runPolicyTests({
      dir: tiny,
      bundleDir: tiny,
      filter: "tiny/*refunds*",
      ...fixed,
    });
    expect(glob.totals.cases).toBe(2);
    // A glob is anchored: `refund*` matches no case name or `suite/name`.
    await expect(
      runPolicyTests({ dir: tiny, bundleDir: tiny, filter: "refund*", ...fixed }),
    ).rejects.toThrow("no case matches the filter `refund*`");
  });

  it("refuses a bundle whose manifest hash does not match, and missing directories", async () => {
    const dir = join(tmp, "stale");
    cpSync(tiny, dir, { recursive: true });
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ hash: "0".repeat(64) }));
    await expect(runPolicyTests({ dir, bundleDir: dir })).rejects.toBeInstanceOf(UsageError);
    const bytes = readFileSync(join(dir, "bundle.mjs"));
    writeFileSync(
      join(dir, "manifest.json"),
      JSON.stringify({ hash: createHash("sha256").update(bytes).digest("hex") }),
    );
    expect((await runPolicyTests({ dir, bundleDir: dir, ...fixed })).ok).toBe(true);
    await expect(runPolicyTests({ dir: join(tmp, "nope"), bundleDir: dir })).rejects.toThrow(
      "cannot read",
    );
    const empty = mkdtempSync(join(tmp, "empty-"));
    await expect(runPolicyTests({ dir: empty, bundleDir: dir })).rejects.toThrow(
      "no `*_test.yaml` suites found",
    );
    await expect(runPolicyTests({ dir, bundleDir: dir, coverageThreshold: 101 })).rejects.toThrow(
      "between 0 and 100",
    );
  });

  it("reports invalid suites as diagnostics with a code frame", async () => {
    const dir = join(tmp, "invalid");
    cpSync(tiny, dir, { recursive: true });
    writeFileSync(
      join(dir, "bad_test.yaml"),
      "apiVersion: paracle.dev/v1\nkind: PolicyTest\nmetadata: { name: bad }\ncases:\n  - name: x\n    input: { agent: { id: a }, action: echo }\n    expect: { decison: allow }\n",
    );
    const report = await runPolicyTests({ dir, bundleDir: dir, ...fixed });
    expect(report.ok).toBe(false);
    expect(report.formattedDiagnostics).toEqual([
      [
        `${join(dir, "bad_test.yaml")}:7:15: error[test_unknown_field]: unknown field \`decison\` in \`expect\``,
        "  |",
        "7 |     expect: { decison: allow }",
        "  |               ^^^^^^^",
        "  = help: did you mean `decision`?",
      ].join("\n"),
    ]);
    // The valid suite still ran.
    expect(report.totals.passed).toBe(9);
  });
});

describe("reporters", () => {
  it("writes well-formed JUnit XML with escaped names, file and line", async () => {
    const report = await runPolicyTests({
      dir: failing,
      bundleDir: tiny,
      coverageThreshold: 100,
      ...fixed,
    });
    const xml = formatJunit(report);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml);
    const root = doc.testsuites;
    expect([root.tests, root.failures, root.errors, root.skipped]).toEqual(["5", "4", "1", "0"]);
    const [suite, coverage] = root.testsuite;
    expect(suite.name).toBe("failing");
    const names = suite.testcase.map((c: { name: string }) => c.name);
    expect(names[3]).toBe("escaping <&> \" ' ]]> \uFFFD");
    expect(suite.testcase[0].line).toBe("5");
    expect(suite.testcase[0].failure.message).toBe(
      "decision: expected `deny`, got `allow`; matched: rules not matched: `deny-prod-deletes`",
    );
    expect(suite.testcase[1].error.message).toBe("bundle exploded");
    expect(coverage.testcase.failure.message).toBe("rule coverage 25% is below 100%");
  });

  it("puts diagnostics in their own JUnit suite", async () => {
    const dir = join(tmp, "invalid");
    const xml = formatJunit(await runPolicyTests({ dir, bundleDir: dir, ...fixed }));
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml);
    expect(doc.testsuites.testsuite[0].name).toBe("diagnostics");
    expect(doc.testsuites.testsuite[0].testcase.error.type).toBe("test_unknown_field");
  });

  it("prints expected vs actual with the case location, coloured only on request", async () => {
    const report = await runPolicyTests({ dir: failing, bundleDir: tiny, ...fixed });
    const plain = formatPretty(report, { color: false });
    expect(plain).not.toMatch(/\u001b\[/);
    expect(plain).toContain(
      [
        "  ✗ wrong decision",
        `      at ${join(failing, "failing_test.yaml")}:5:5`,
        "      decision: expected `deny`, got `allow`",
        '        expected: "deny"',
        '        actual:   "allow"',
      ].join("\n"),
    );
    expect(plain).toContain("Tests: 3 failed, 1 errored, 4 total (1 suite) in 0ms");
    expect(formatPretty(report, { color: true })).toMatch(/\u001b\[31m/);
  });

  it("prints the coverage table and json", async () => {
    const report = await runPolicyTests({ dir: tiny, bundleDir: tiny, coverage: true, ...fixed });
    const text = formatPretty(report, { color: false });
    const other = join(tiny, "other.yaml");
    expect(text).toMatch(
      new RegExp(`\\n  ${other.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} +0/1 0%`),
    );
    expect(text).toContain(`never matched: \`never-matched\` (deny, ${other}:2)`);
    expect(text).toMatch(/\n {2}total +7\/8 87\.5%/);
    const json = JSON.parse(formatJson(report));
    expect(json.ok).toBe(true);
    expect(json.coverage.rules.percent).toBe(87.5);
    expect(json.suites[0].cases[0]).not.toHaveProperty("decision");
  });
});
