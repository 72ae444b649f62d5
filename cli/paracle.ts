#!/usr/bin/env node
/**
 * `paracle` — thin command layer. Each subcommand lives in its own file under commands/ and
 * holds no logic of its own: it parses arguments and calls the parts' public entry points.
 */
import { Command } from "commander";
import { registerApprovals } from "./commands/approvals.js";
import { registerAudit } from "./commands/audit.js";
import { registerEval } from "./commands/eval.js";
import { registerGovernance } from "./commands/governance.js";
import { registerServe } from "./commands/serve.js";
import { registerTest } from "./commands/test.js";
import { packageVersion } from "./version.js";

const program = new Command("paracle")
  .description("Paracle Governance: policy engine, approvals, risk scoring and audit for AI agents")
  .version(packageVersion());

registerEval(program);
registerTest(program);
registerGovernance(program);
registerAudit(program);
registerApprovals(program);
registerServe(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
