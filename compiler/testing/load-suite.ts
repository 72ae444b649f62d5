/**
 * Loads `PolicyTest` documents from a `*_test.yaml` file: YAML → validated, fixture-resolved
 * suites, with a `file:line:col` diagnostic for every problem (all of them, not the first).
 */
import { type Document, isMap, isScalar, isSeq, type Node, type Pair, visit } from "yaml";
import {
  type FixtureCategory,
  type FixtureError,
  type Fixtures,
  fixtureCategories,
  isPlainObject,
  resolveInput,
} from "./fixtures.js";
import { parseExpectation } from "./load-expect.js";
import { didYouMean, testMessages } from "./messages.js";
import type { Diagnostic, Span, TestCase, TestSuite } from "./suite.js";
import { describeNode, toPlain, YamlSource } from "./yaml-source.js";

const suiteFields = ["apiVersion", "kind", "metadata", "now", "fixtures", "cases"] as const;
const metadataFields = ["name", "description"] as const;
const caseFields = ["name", "description", "now", "skip", "input", "expect"] as const;

/** ISO 8601 date-time with a zone (Z or ±hh:mm), or a plain date. */
const isoTimestamp =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

export interface LoadedSuites {
  suites: TestSuite[];
  diagnostics: Diagnostic[];
}

/** Parses and validates every `PolicyTest` document of one file. */
export function loadSuiteFile(file: string, text: string): LoadedSuites {
  const source = new YamlSource(file, text);
  const ctx = new LoadContext(source);
  const suites: TestSuite[] = [];
  for (const doc of source.documents) {
    if (doc.contents === null) continue;
    const suite = ctx.suite(doc);
    if (suite) suites.push(suite);
  }
  const diagnostics = [...source.diagnostics, ...ctx.diagnostics].sort(
    (a, b) => a.span.line - b.span.line || a.span.col - b.span.col,
  );
  return { suites, diagnostics };
}

/** Mapping entries keyed by name, with their pairs for positions. */
type Entries = Map<string, Pair<Node, Node | null>>;

export class LoadContext {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly source: YamlSource) {}

  error(
    msg: { code: string; message: string; help?: string },
    node: Node | null | undefined,
  ): void {
    this.diagnostics.push({ ...msg, severity: "error", span: this.source.span(node) });
  }

  /** Entries of a mapping, reporting unknown keys; `undefined` (and a diagnostic) if not a map. */
  entries(node: unknown, what: string, allowed?: readonly string[]): Entries | undefined {
    if (!isMap(node)) {
      this.error(testMessages.wrongType(what, "a mapping", describeNode(node)), node as Node);
      return undefined;
    }
    const out: Entries = new Map();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (allowed && !allowed.includes(key)) {
        const help = didYouMean(key, allowed);
        this.error(
          { ...testMessages.unknownField(key, what), ...(help ? { help } : {}) },
          pair.key as Node,
        );
        continue;
      }
      out.set(key, pair as Pair<Node, Node | null>);
    }
    return out;
  }

  string(pair: Pair<Node, Node | null> | undefined, what: string): string | undefined {
    if (!pair) return undefined;
    const v = pair.value;
    if (isScalar(v) && typeof v.value === "string") return v.value;
    this.error(testMessages.wrongType(what, "a string", describeNode(v)), v ?? (pair.key as Node));
    return undefined;
  }

  timestamp(pair: Pair<Node, Node | null> | undefined, what: string): string | undefined {
    const value = this.string(pair, what);
    if (value === undefined) return undefined;
    if (!isoTimestamp.test(value) || Number.isNaN(Date.parse(value))) {
      this.error(testMessages.badTimestamp(value), pair?.value);
      return undefined;
    }
    return new Date(Date.parse(value)).toISOString();
  }

  suite(doc: Document.Parsed): TestSuite | undefined {
    const root = doc.contents as Node;
    const e = this.entries(root, "a test document", suiteFields);
    if (!e) return undefined;
    const apiVersion = this.string(e.get("apiVersion"), "`apiVersion`");
    if (!e.has("apiVersion"))
      this.error(testMessages.missingField("apiVersion", "a test document"), root);
    else if (apiVersion !== undefined && apiVersion !== "paracle.dev/v1")
      this.error(testMessages.badApiVersion(apiVersion), e.get("apiVersion")?.value);
    const kind = this.string(e.get("kind"), "`kind`");
    if (!e.has("kind")) this.error(testMessages.missingField("kind", "a test document"), root);
    else if (kind !== undefined && kind !== "PolicyTest") {
      this.error(testMessages.badKind(kind), e.get("kind")?.value);
      return undefined;
    }
    let name: string | undefined;
    let description: string | undefined;
    const meta = e.get("metadata");
    if (!meta) this.error(testMessages.missingField("metadata", "a test document"), root);
    else {
      const m = this.entries(meta.value, "`metadata`", metadataFields);
      if (m) {
        name = this.string(m.get("name"), "`metadata.name`");
        description = this.string(m.get("description"), "`metadata.description`");
        if (!m.has("name")) this.error(testMessages.missingField("name", "`metadata`"), meta.value);
      }
    }
    const now = this.timestamp(e.get("now"), "`now`");
    const fixtures = this.fixtures(e.get("fixtures"), doc);
    const cases = this.cases(e.get("cases"), doc, fixtures, root, now);
    const span = this.source.span(root);
    return {
      name: name ?? this.source.file,
      file: this.source.file,
      span,
      cases,
      ...(description !== undefined ? { description } : {}),
      ...(now !== undefined ? { now } : {}),
    };
  }

  fixtures(pair: Pair<Node, Node | null> | undefined, doc: Document.Parsed): Fixtures {
    const fixtures: Fixtures = {};
    if (!pair) return fixtures;
    const e = this.entries(pair.value, "`fixtures`", fixtureCategories);
    if (!e) return fixtures;
    for (const [category, catPair] of e) {
      const items = this.entries(catPair.value, `\`fixtures.${category}\``);
      if (!items) continue;
      const table: Record<string, Record<string, unknown>> = {};
      for (const [name, itemPair] of items) {
        const value = toPlain(itemPair.value, doc);
        if (!isPlainObject(value)) {
          this.error(
            testMessages.wrongType(
              `fixture \`${name}\``,
              "a mapping",
              describeNode(itemPair.value),
            ),
            itemPair.value ?? (itemPair.key as Node),
          );
          continue;
        }
        Object.defineProperty(table, name, { value, enumerable: true });
      }
      fixtures[category as FixtureCategory] = table;
    }
    return fixtures;
  }

  cases(
    pair: Pair<Node, Node | null> | undefined,
    doc: Document.Parsed,
    fixtures: Fixtures,
    root: Node,
    suiteNow: string | undefined,
  ): TestCase[] {
    if (!pair) {
      this.error(testMessages.missingField("cases", "a test document"), root);
      return [];
    }
    if (!isSeq(pair.value)) {
      this.error(testMessages.wrongType("`cases`", "a list", describeNode(pair.value)), pair.value);
      return [];
    }
    if (pair.value.items.length === 0) this.error(testMessages.noCases(), pair.key as Node);
    const out: TestCase[] = [];
    const seen = new Set<string>();
    for (const item of pair.value.items) {
      const c = this.testCase(item as Node, doc, fixtures, suiteNow);
      if (!c) continue;
      if (seen.has(c.name)) this.error(testMessages.duplicateCase(c.name), item as Node);
      seen.add(c.name);
      out.push(c);
    }
    return out;
  }

  testCase(
    node: Node,
    doc: Document.Parsed,
    fixtures: Fixtures,
    suiteNow: string | undefined,
  ): TestCase | undefined {
    const e = this.entries(node, "a test case", caseFields);
    if (!e) return undefined;
    const before = this.diagnostics.length;
    const name = this.string(e.get("name"), "`name`");
    if (!e.has("name")) this.error(testMessages.missingField("name", "a test case"), node);
    const description = this.string(e.get("description"), "`description`");
    const now = this.timestamp(e.get("now"), "`now`");
    let skip = false;
    const skipPair = e.get("skip");
    if (skipPair) {
      if (isScalar(skipPair.value) && typeof skipPair.value.value === "boolean")
        skip = skipPair.value.value;
      else
        this.error(
          testMessages.wrongType("`skip`", "a boolean", describeNode(skipPair.value)),
          skipPair.value,
        );
    }
    const inputPair = e.get("input");
    let input: Record<string, unknown> = {};
    if (!inputPair) this.error(testMessages.missingField("input", "a test case"), node);
    else if (!isMap(inputPair.value))
      this.error(
        testMessages.wrongType("`input`", "a mapping", describeNode(inputPair.value)),
        inputPair.value,
      );
    else {
      const errors: FixtureError[] = [];
      input = resolveInput(
        toPlain(inputPair.value, doc) as Record<string, unknown>,
        fixtures,
        errors,
      );
      for (const err of errors) {
        const msg =
          err.kind === "unknown"
            ? testMessages.unknownFixture(err.name, err.category)
            : testMessages.fixtureCycle(err.name);
        const names = Object.keys(fixtures[err.category] ?? {});
        const help = err.kind === "unknown" ? didYouMean(err.name, names) : undefined;
        this.error(
          { ...msg, ...(help ? { help } : {}) },
          findScalar(inputPair.value, err.name) ?? inputPair.value,
        );
      }
      if (!isPlainObject(input.action) || typeof input.action.name !== "string")
        this.error(testMessages.missingAction(), inputPair.key as Node);
      if (!isPlainObject(input.agent) && errors.length === 0)
        this.error(testMessages.missingAgent(), inputPair.key as Node);
      const time = now ?? (typeof input.time === "string" ? undefined : suiteNow);
      if (time !== undefined) input.time = time;
    }
    const expectPair = e.get("expect");
    const expect = expectPair ? parseExpectation(this, expectPair, doc) : undefined;
    if (!expectPair) this.error(testMessages.missingField("expect", "a test case"), node);
    if (this.diagnostics.length > before || name === undefined || expect === undefined)
      return undefined;
    return {
      name,
      span: this.source.span(node),
      input: input as unknown as TestCase["input"],
      expect,
      skip,
      ...(description !== undefined ? { description } : {}),
    };
  }
}

/** The first scalar under `node` whose value is `value` (to point diagnostics at a reference). */
function findScalar(node: Node | null, value: string): Node | undefined {
  let found: Node | undefined;
  visit(node as Node, {
    Scalar(_key, scalar) {
      if (scalar.value === value) {
        found = scalar;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

export type { Span };
