import { describe, expect, test } from "vitest";
import { isMap, isScalar, type Scalar } from "yaml";
import { inherit } from "./inherit/stage.js";
import { compilePolicies, STAGES } from "./pipeline.js";
import { load } from "./source/load.js";
import { conditionText } from "./source/locate.js";
import { validate } from "./validate/stage.js";

const SET = (name: string, rest = "") =>
  `apiVersion: paracle.dev/v1\nkind: PolicySet\nmetadata: { name: ${name} }\n${rest}`;

describe("stages, one at a time", () => {
  test("the pipeline's stages are named and ordered", () => {
    expect(STAGES).toEqual([
      "load",
      "validate",
      "inherit",
      "typecheck",
      "analyse",
      "generate",
      "manifest",
    ]);
  });

  test("load keeps several documents per file and reports YAML errors with positions", () => {
    const ok = load([{ file: "a.yaml", text: `${SET("a")}---\n${SET("b")}` }]);
    expect(ok.documents.map((d) => d.index)).toEqual([0, 1]);
    const bad = load([{ file: "b.yaml", text: "a: [1, 2\n" }]);
    expect(bad.diagnostics[0]).toMatchObject({
      code: "yaml-syntax",
      span: { file: "b.yaml", line: 2 },
    });
  });

  test("conditionText maps plain, quoted and block scalars onto the file", () => {
    const text = `a: x == 1\nb: "y == 2"\nc: |\n  z == 3 &&\n    w\n`;
    const { documents, sources } = load([{ file: "f.yaml", text }]);
    const root = documents[0]!.document.contents;
    if (!isMap(root)) throw new Error("map expected");
    const at = (k: string) => {
      const pair = root.items.find((p) => isScalar(p.key) && p.key.value === k)!;
      return conditionText(text, sources[0]!.lineCounter, pair.value as Scalar);
    };
    expect(at("a")).toEqual({ parseText: "x == 1", line: 1, col: 4 });
    expect(at("b")).toEqual({ parseText: "y == 2", line: 2, col: 5 });
    expect(at("c")).toEqual({ parseText: "  z == 3 &&\n    w\n", line: 4, col: 1 });
  });

  test("validate builds the typed model and rejects settings of another type", () => {
    const { documents } = load([
      {
        file: "a.yaml",
        text: SET(
          "a",
          "policies:\n  - { id: p, type: allow, rate_limit: { limit: 1, window: 1s } }\n  - { id: q, type: rate_limit, rate_limit: { limit: 2, window: 1m } }\n",
        ),
      },
    ]);
    const { program, diagnostics } = validate(documents);
    expect(diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.code}: ${d.message}`)).toEqual([
      "5:27 unknown-field: setting `rate_limit` does not apply to a policy of type `allow`",
    ]);
    expect(program.sets[0]!.policies[1]).toMatchObject({
      id: "q",
      type: "rate_limit",
      settings: { rate_limit: { limit: 2, window: "1m" } },
    });
  });

  test("inherit merges parents in order, overrides in place and keeps the roots only", () => {
    const { documents } = load([
      {
        file: "base.yaml",
        text: SET("base", "policies:\n  - { id: a, type: allow }\n  - { id: b, type: audit }\n"),
      },
      {
        file: "child.yaml",
        text: SET(
          "child",
          "extends: [base]\npolicies:\n  - { id: a, type: deny }\n  - { id: c, type: allow }\n",
        ),
      },
    ]);
    const { program, diagnostics } = inherit(validate(documents).program);
    expect(diagnostics).toEqual([]);
    expect(program.roots.map((s) => s.name)).toEqual(["child"]);
    expect(program.rules.map((r) => `${r.id}:${r.type}:${r.set}`)).toEqual([
      "a:deny:child",
      "b:audit:base",
      "c:allow:child",
    ]);
  });

  test("a failing stage stops the pipeline and is named", () => {
    const r = compilePolicies([{ file: "a.yaml", text: SET("a", "extends: [nope]\n") }]);
    expect(r).toMatchObject({ ok: false, failedStage: "inherit" });
    expect(Object.keys(r.timings)).toEqual(["load", "validate", "inherit"]);
  });
});
