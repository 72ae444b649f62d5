import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { macroNames } from "./builtins/lists.js";
import { builtins } from "./builtins/registry.js";
import { messages, runtimeMessages } from "./messages.js";

const doc = readFileSync(new URL("../docs/conditions.md", import.meta.url), "utf8");

describe("docs/conditions.md", () => {
  it("documents every message code, builtin and macro", () => {
    for (const code of [...Object.keys(messages), ...Object.keys(runtimeMessages)]) {
      expect(doc, code).toContain(`| ${code} |`);
    }
    for (const name of [...builtins.keys(), ...macroNames]) expect(doc, name).toContain(`${name}(`);
  });
});
