import { describe, expect, it } from "vitest";
import { type EvalIO, runEval } from "./eval.js";

function io(files: Record<string, string>) {
  const out = { stdout: "", stderr: "" };
  const sink: EvalIO = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    read: (p) => {
      if (!(p in files)) throw new Error(`ENOENT: ${p}`);
      return files[p]!;
    },
  };
  return { out, sink };
}

describe("paracle eval", () => {
  const input = JSON.stringify({ agent: { id: "a", roles: ["admin"], trust_level: 2 } });

  it("prints the JSON result and exits 0", () => {
    const { out, sink } = io({ "-": input });
    expect(runEval('"admin" in agent.roles && agent.trust_level < 3', { input: "-" }, sink)).toBe(
      0,
    );
    expect(out.stdout).toBe("true\n");
    expect(runEval("agent.roles.map(r, r.upperAscii())", { input: "-" }, sink)).toBe(0);
    expect(out.stdout).toBe('true\n["ADMIN"]\n');
  });

  it("uses constants from a JSON file", () => {
    const { out, sink } = io({ "ctx.json": input, "k.json": '{"admins": ["admin"]}' });
    expect(
      runEval("agent.roles[0] in admins", { input: "ctx.json", constants: "k.json" }, sink),
    ).toBe(0);
    expect(out.stdout).toBe("true\n");
  });

  it("prints diagnostics with a code frame and exits 1", () => {
    const { out, sink } = io({ "-": input });
    expect(runEval("agent.rolse == 1 &&", { input: "-" }, sink)).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toBe(
      [
        "<expression>:1:20: error[E0002]: unexpected end of input",
        "  |",
        "1 | agent.rolse == 1 &&",
        "  |                    ^",
        "  = help: expected an operand or an operator here",
        "",
      ].join("\n"),
    );
  });

  it("prints run-time errors and exits 1; unreadable input exits 2", () => {
    const { out, sink } = io({ "-": input });
    expect(runEval("agent.owner == 'x'", { input: "-" }, sink)).toBe(1);
    expect(out.stderr).toBe("runtime error[R0001]: no such key `owner`\n");
    expect(runEval("true", { input: "nope.json" }, sink)).toBe(2);
    expect(runEval("true", { input: "-" }, io({ "-": "{not json" }).sink)).toBe(2);
  });
});
