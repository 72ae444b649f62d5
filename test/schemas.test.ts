/**
 * The published JSON Schemas (what editors use through `# yaml-language-server: $schema=...`)
 * checked with an independent JSON Schema 2020-12 validator (ajv) against every shipped policy
 * file and test suite, so the schemas cannot drift from the files the compiler and the test runner
 * accept.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

const root = join(import.meta.dirname, "..");
const load = (p: string) => JSON.parse(readFileSync(join(root, p), "utf8"));

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (e.endsWith(".yaml") || e.endsWith(".yml")) out.push(p);
  }
  return out.sort();
}

const packs = ["policies", "examples/customer-support/policies", "examples/coding-agent/policies"];
const files = packs.flatMap((p) => yamlFiles(join(root, p)));
const suites = files.filter((f) => /_test\.ya?ml$/.test(f));
const policies = files.filter((f) => !/_test\.ya?ml$/.test(f));

function docs(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS());
}

const ajv = new Ajv2020.default({ allErrors: true, strict: false });
const validateTest = ajv.compile(load("schema/policy-test.schema.json"));
const validatePolicy = ajv.compile(load("schema/policy.schema.json"));

describe("schema/policy-test.schema.json", () => {
  it("finds the shipped suites", () => {
    expect(suites.length).toBeGreaterThanOrEqual(5);
  });
  it.each(suites.map((f) => [f.slice(root.length + 1), f]))("accepts %s", (_name, file) => {
    for (const doc of docs(file)) {
      const ok = validateTest(doc);
      expect(validateTest.errors ?? [], JSON.stringify(validateTest.errors)).toEqual([]);
      expect(ok).toBe(true);
    }
  });
  it("rejects a misspelt expectation and a bad decision", () => {
    const doc = {
      apiVersion: "paracle.dev/v1",
      kind: "PolicyTest",
      metadata: { name: "t" },
      cases: [{ name: "c", input: { action: "echo" }, expect: { decison: "allow" } }],
    };
    expect(validateTest(doc)).toBe(false);
    expect(validateTest.errors?.some((e) => e.params && "additionalProperty" in e.params)).toBe(
      true,
    );
    const bad = structuredClone(doc);
    bad.cases[0]!.expect = { decision: "maybe" } as never;
    expect(validateTest(bad)).toBe(false);
  });
});

describe("schema/policy.schema.json", () => {
  it.each(policies.map((f) => [f.slice(root.length + 1), f]))("accepts %s", (_name, file) => {
    for (const doc of docs(file)) {
      validatePolicy(doc);
      expect(validatePolicy.errors ?? [], JSON.stringify(validatePolicy.errors)).toEqual([]);
    }
  });
  it("rejects an unknown policy field", () => {
    const doc = {
      apiVersion: "paracle.dev/v1",
      kind: "PolicySet",
      metadata: { name: "x" },
      policies: [{ id: "a", type: "allow", whn: "true" }],
    };
    expect(validatePolicy(doc)).toBe(false);
  });
});
