/**
 * JUnit XML (the de-facto schema read by GitHub/GitLab/Jenkins test reporters): one <testsuite>
 * per suite, one <testcase> per case with `file` and `line`; failed assertions in <failure>,
 * a throwing `decide` in <error>. Policy/suite diagnostics and a missed coverage threshold appear
 * as their own failing suites so CI shows them too. Text is escaped for XML 1.0 (§2.2 Char:
 * characters outside the allowed ranges are replaced with U+FFFD).
 */
import type { TestReport } from "../report.js";
import type { CaseResult } from "../run.js";

export function formatJunit(report: TestReport): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const errorDiagnostics = report.diagnostics
    .map((d, i) => ({ d, text: report.formattedDiagnostics[i] ?? d.message }))
    .filter(({ d }) => d.severity === "error");
  if (errorDiagnostics.length > 0) {
    const cases = errorDiagnostics.map(({ d, text }) => {
      const name = `${d.span.file}:${d.span.line}:${d.span.col}`;
      return `    <testcase name="${attr(name)}" classname="paracle.diagnostics" file="${attr(d.span.file)}" line="${d.span.line}" time="0">\n      <error message="${attr(d.message)}" type="${attr(d.code)}">${text_(text)}</error>\n    </testcase>`;
    });
    tests += cases.length;
    errors += cases.length;
    suites.push(
      `  <testsuite name="diagnostics" tests="${cases.length}" failures="0" errors="${cases.length}" skipped="0" time="0">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  for (const suite of report.suites) {
    const f = suite.cases.filter((c) => c.status === "failed").length;
    const e = suite.cases.filter((c) => c.status === "error").length;
    const s = suite.cases.filter((c) => c.status === "skipped").length;
    tests += suite.cases.length;
    failures += f;
    errors += e;
    skipped += s;
    const cases = suite.cases.map((c) => testcase(c, suite.name));
    suites.push(
      `  <testsuite name="${attr(suite.name)}" tests="${suite.cases.length}" failures="${f}" errors="${e}" skipped="${s}" time="${sec(suite.durationMs)}" file="${attr(suite.file)}">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  if (report.threshold) {
    const t = report.threshold;
    const body = t.met
      ? ""
      : `\n      <failure message="${attr(`rule coverage ${t.actual}% is below ${t.required}%`)}" type="coverage"></failure>\n    `;
    tests++;
    if (!t.met) failures++;
    suites.push(
      `  <testsuite name="coverage" tests="1" failures="${t.met ? 0 : 1}" errors="0" skipped="0" time="0">\n    <testcase name="${attr(`rule coverage >= ${t.required}%`)}" classname="paracle.coverage" time="0">${body}</testcase>\n  </testsuite>`,
    );
  }
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="paracle test" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${sec(report.durationMs)}">`,
    ...suites,
    `</testsuites>`,
    "",
  ].join("\n");
}

function testcase(c: CaseResult, suite: string): string {
  const open = `    <testcase name="${attr(c.name)}" classname="${attr(suite)}" file="${attr(c.span.file)}" line="${c.span.line}" time="${sec(c.durationMs)}"`;
  if (c.status === "passed") return `${open}/>`;
  if (c.status === "skipped") return `${open}>\n      <skipped/>\n    </testcase>`;
  const where = `at ${c.span.file}:${c.span.line}:${c.span.col}`;
  if (c.status === "error") {
    return `${open}>\n      <error message="${attr(c.error ?? "")}" type="decide_error">${text_(`${where}\n${c.error ?? ""}`)}</error>\n    </testcase>`;
  }
  const summary = c.mismatches.map((m) => `${m.field}: ${m.message}`).join("; ");
  const details = c.mismatches
    .map(
      (m) =>
        `${m.field}: ${m.message}\n  expected: ${json(m.expected)}\n  actual:   ${json(m.actual)}`,
    )
    .join("\n");
  return `${open}>\n      <failure message="${attr(summary)}" type="assertion">${text_(`${where}\n${details}`)}</failure>\n    </testcase>`;
}

/** Replaces characters XML 1.0 does not allow (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F). */
export function xmlSafe(s: string): string {
  return s.replace(
    /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu,
    "\uFFFD",
  );
}

/** Escapes an attribute value (quotes, and whitespace that attribute normalisation would eat). */
export function attr(s: string): string {
  return xmlSafe(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

function text_(s: string): string {
  return xmlSafe(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r/g, "&#13;");
}

function sec(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function json(v: unknown): string {
  return v === undefined ? "(none)" : JSON.stringify(v);
}
