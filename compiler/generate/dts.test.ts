import { Project } from "ts-morph";
import { describe, expect, test } from "vitest";
import { compileBundle, SET } from "../test-support.js";

/** Type-checks `consumer` against a generated bundle.d.ts; returns the error messages. */
function typeErrors(dts: string, consumer: string): string[] {
  const project = new Project({
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 9,
      module: 199,
      moduleResolution: 99,
      types: [],
    },
  });
  project.createSourceFile("/virtual/bundle.d.ts", dts);
  project.createSourceFile("/virtual/use.ts", consumer);
  return project
    .getPreEmitDiagnostics()
    .filter((d) => d.getSourceFile()?.getFilePath().startsWith("/virtual/"))
    .map((d) => String(d.getMessageText()));
}

describe("bundle.d.ts", () => {
  test("declares the decision input from the extended schema and the bundle's exports", async () => {
    const { result } = await compileBundle({
      "a.yaml": `${SET("a")}schema:\n  agent: { department: string }\n  ticket: { priority: int }\npolicies:\n  - { id: ok, type: allow, when: 'agent.department == "it" && ticket.priority > 1' }\n`,
    });
    const dts = result.files!["bundle.d.ts"];
    const ok = `import { decide, rules, type DecisionInput } from "./bundle.js";
const input: DecisionInput = { agent: { id: "a", department: "it" }, action: { name: "x" }, ticket: { priority: 2 } };
const d = decide(input);
const effect: "allow" | "deny" | "require_approval" = d.decision;
const line: number = rules["ok"]!.line;
export { effect, line };`;
    expect(typeErrors(dts, ok)).toEqual([]);
    const bad = `import { type DecisionInput } from "./bundle.js";
export const input: DecisionInput = { agent: { id: "a", department: 3 }, action: { name: "x" } };`;
    expect(typeErrors(dts, bad).join("\n")).toMatch(/number.*not assignable to type 'string'/);
  });
});
