import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { HEAD, policyDir, runCompile } from "./compiler-helpers.js";

/** Compiles `files`, expects exit 1 and no bundle, returns stderr. */
async function errorsOf(files: Record<string, string>): Promise<string> {
  const dir = policyDir(files);
  const out = join(dir, "..", "bundle");
  const r = await runCompile(dir, out);
  expect(r.code).toBe(1);
  expect(existsSync(out)).toBe(false);
  return r.err;
}

describe("paracle-compile errors", () => {
  test("yaml syntax error points at the line", async () => {
    const err = await errorsOf({ "a.yaml": `${HEAD}metadata: { name: a\npolicies: []\n` });
    expect(err).toMatch(
      /^a\.yaml:4:1: error\[yaml-syntax\]: flow map in block collection must be sufficiently indented and end with a }/m,
    );
    expect(err).toContain("4 | policies: []");
  });

  test("unknown field with did-you-mean, wrong type, missing field, all at once", async () => {
    const err = await errorsOf({
      "a.yaml": `${HEAD}metadata:\n  name: a\npolicies:\n  - id: p1\n    type: allow\n    reasn: typo\n  - id: p2\n    type: deny\n    priority: high\n  - type: deny\n`,
    });
    expect(err).toContain(
      "a.yaml:8:5: error[unknown-field]: unknown field `reasn` in `policies[0]`",
    );
    expect(err).toContain("help: did you mean `reason`?");
    expect(err).toContain(
      "a.yaml:11:15: error[wrong-type]: `policies[1].priority` must be an integer, found a string",
    );
    expect(err).toContain(
      "a.yaml:12:5: error[missing-field]: missing required field `id` in `policies[2]`",
    );
    expect(err).toContain("3 errors; no bundle written");
  });

  test("bad duration, bad glob, bad enum value", async () => {
    const err = await errorsOf({
      "a.yaml": `${HEAD}metadata: { name: a }\npolicies:\n  - id: rl\n    type: rate_limit\n    match: { actions: ["fs read"] }\n    rate_limit: { limit: 5, window: 10 minutes }\n  - id: x\n    type: alow\n`,
    });
    expect(err).toContain("a.yaml:7:24: error[bad-glob]: bad glob `fs read`: unexpected character");
    expect(err).toContain("a.yaml:8:37: error[bad-duration]: bad duration `10 minutes`");
    expect(err).toContain(
      "a.yaml:10:11: error[bad-value]: `policies[1].type` must be one of `allow`, `deny`",
    );
    expect(err).toContain("did you mean `allow`?");
  });

  test("duplicate ids name the first declaration", async () => {
    const err = await errorsOf({
      "a.yaml": `${HEAD}metadata: { name: a }\npolicies:\n  - id: p\n    type: allow\n  - id: p\n    type: deny\n`,
    });
    expect(err).toContain("a.yaml:7:9: error[duplicate-id]: duplicate policy id `p`");
    expect(err).toContain("help: first declared at a.yaml:5:9");
  });

  test("a bad condition points into the YAML file, for plain, quoted and block scalars", async () => {
    const err = await errorsOf({
      "a.yaml": `${HEAD}metadata: { name: a }\npolicies:\n  - id: plain\n    type: deny\n    when: action.nme == 1\n  - id: quoted\n    type: deny\n    when: "resource.env == 'x' && workflow.idd == 'y'"\n  - id: block\n    type: deny\n    when: |\n      resource.env == "x" &&\n        session.idd > 3\n`,
    });
    expect(err).toMatch(/a\.yaml:7:18: error\[[^\]]+\]: unknown field `nme` on `action`/);
    expect(err).toMatch(/a\.yaml:10:44: error\[[^\]]+\]: unknown field `idd` on `workflow`/);
    expect(err).toMatch(/a\.yaml:15:17: error\[[^\]]+\]: unknown field `idd` on `session`/);
    // code frame under the first error
    expect(err).toContain("    when: action.nme == 1");
  });

  test("unknown extends and an extends cycle", async () => {
    const err = await errorsOf({
      "a.yaml": `${HEAD}metadata: { name: a }\nextends: [b]\npolicies: []\n`,
      "b.yaml": `${HEAD}metadata: { name: b }\nextends: [a, comon]\npolicies: []\n`,
      "common.yaml": `${HEAD}metadata: { name: common }\npolicies: []\n`,
    });
    expect(err).toContain(
      "b.yaml:4:14: error[unknown-extends]: unknown policy set `comon` in `extends`",
    );
    expect(err).toContain("help: did you mean `common`?");
    expect(err).toMatch(
      /error\[extends-cycle\]: cycle in `extends`: `(a` -> `b` -> `a|b` -> `a` -> `b)`/,
    );
  });

  test("a child weakening a parent's deny names both locations", async () => {
    const base = `${HEAD}metadata: { name: base }\npolicies:\n  - id: no-prod-delete\n    type: deny\n    match: { actions: ["db.*"] }\n    when: resource.env == "production"\n  - id: no-shell\n    type: deny\n    match: { actions: [shell.exec] }\n`;
    const err = await errorsOf({
      "base.yaml": base,
      "team.yaml": `${HEAD}metadata: { name: team }\nextends: [./base.yaml]\npolicies:\n  - id: no-prod-delete\n    type: deny\n    match: { actions: [db.drop] }\n    when: resource.env == "production"\n  - id: no-shell\n    enabled: false\n`,
    });
    expect(err).toContain(
      "team.yaml:6:9: error[weakened-deny]: policy `no-prod-delete` weakens the `deny` it inherits from `base` (base.yaml:5:9): it narrows its `match`",
    );
    expect(err).toContain(
      "team.yaml:10:9: error[weakened-deny]: policy `no-shell` weakens the `deny` it inherits from `base` (base.yaml:9:9): it disables it",
    );
  });

  test("usage errors exit 2", async () => {
    const r = await runCompile("/nonexistent/policies", "/tmp/never");
    expect(r.code).toBe(2);
    expect(r.err).toContain("policy directory `/nonexistent/policies` does not exist");
  });
});
