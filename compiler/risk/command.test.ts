import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIO } from "../../test/compiler-helpers.js";
import { compilePolicyDir, writeBundle } from "../compile-dir.js";
import { riskCommand } from "./command.js";

const tmp = mkdtempSync(join(tmpdir(), "paracle-risk-"));
const bundle = join(tmp, "bundle");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  const result = await compilePolicyDir(join(import.meta.dirname, "../../policies"));
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  await writeBundle(result, bundle);
});

const capture = () => captureIO();

const input = {
  agent: { id: "coder", roles: ["coding-agent"], trust_level: 4 },
  action: { name: "shell.exec", kind: "execute" },
  args: { command: "deploy --token ghp_0123456789abcdefghijklmnopqrstuvwxyz" },
  resource: { env: "production" },
  time: "2025-03-04T01:00:00Z",
};

describe("paracle governance risk", () => {
  it("prints the breakdown of the default pack's model as a table", async () => {
    const file = join(tmp, "in.json");
    writeFileSync(file, JSON.stringify(input));
    const io = capture();
    expect(await riskCommand({ bundle, input: file }, io)).toBe(0);
    const lines = io.out.split("\n");
    expect(lines[0]).toMatch(/^factor\s+raw\s+normalized\s+weight\s+contribution$/);
    expect(lines).toContainEqual(expect.stringMatching(/^data_sensitivity\s+10\s+1\s+3\s+20$/));
    expect(lines).toContainEqual(expect.stringMatching(/^time_of_day\s+8\s+0\.8\s+1\s+5\.33$/));
    expect(io.out).toContain("score  64.67\nlevel  high\ndecision  require_approval\n");
  });

  it("--json prints the risk object of the decision", async () => {
    const file = join(tmp, "in2.json");
    writeFileSync(file, JSON.stringify(input));
    const io = capture();
    expect(await riskCommand({ bundle, input: file, json: true }, io)).toBe(0);
    const risk = JSON.parse(io.out) as { score: number; level: string; factors: { id: string }[] };
    expect(risk.score).toBe(64.67);
    expect(risk.level).toBe("high");
    expect(risk.factors.map((f) => f.id)).toEqual([
      "data_sensitivity",
      "action_type",
      "agent_trust",
      "history",
      "time_of_day",
      "resource_scope",
      "external_dependency",
      "reversibility",
    ]);
  });

  it("exits 2 with a message on a missing input file", async () => {
    const io = capture();
    expect(await riskCommand({ bundle, input: join(tmp, "nope.json") }, io)).toBe(2);
    expect(io.err).toMatch(/^paracle governance risk: error: .*nope\.json/);
  });
});
