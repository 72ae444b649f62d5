import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { TestReport } from "../report.js";
import { formatJunit, xmlSafe } from "./junit.js";

const span = { file: "p/s_test.yaml", line: 3, col: 5, endLine: 3, endCol: 9 };

function reportWith(name: string, message: string, suite: string): TestReport {
  return {
    ok: false,
    bundle: "b",
    diagnostics: [],
    formattedDiagnostics: [],
    totals: { cases: 2, passed: 1, failed: 1, errors: 0, skipped: 0 },
    durationMs: 1,
    suites: [
      {
        name: suite,
        file: span.file,
        durationMs: 1,
        cases: [
          { suite, name, span, status: "passed", mismatches: [], durationMs: 0 },
          {
            suite,
            name: `${name}!`,
            span,
            status: "failed",
            durationMs: 0,
            mismatches: [{ field: "decision", expected: message, actual: "allow", message }],
          },
        ],
      },
    ],
  };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
});

describe("formatJunit", () => {
  it("stays well-formed and round-trips any names and messages (XML 1.0 chars)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }),
        fc.string({ unit: "binary" }),
        fc.string(),
        (name, message, suite) => {
          const xml = formatJunit(reportWith(name, message, suite));
          expect(XMLValidator.validate(xml)).toBe(true);
          const doc = parser.parse(xml);
          const ts = doc.testsuites.testsuite;
          expect(ts.name).toBe(xmlSafe(suite));
          expect(ts.testcase[0].name).toBe(xmlSafe(name));
          expect(ts.testcase[1].failure.message).toBe(xmlSafe(`decision: ${message}`));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("replaces characters XML 1.0 cannot carry", () => {
    expect(xmlSafe("a\u0000b\u0008c\tok\n\uD800\uFFFE😀")).toBe(
      "a\uFFFDb\uFFFDc\tok\n\uFFFD\uFFFD😀",
    );
  });
});
