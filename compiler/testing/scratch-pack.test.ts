import { it } from "vitest";
import { testCommand } from "./index.js";

it("scratch", async () => {
  const out: string[] = [];
  const code = await testCommand(
    { dir: process.env.PACK ?? "policies", coverage: true },
    {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => out.push(s) },
      env: { NO_COLOR: "1" },
    },
  );
  console.log(out.join(""), "exit", code);
});
