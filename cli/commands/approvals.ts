import type { Command } from "commander";

/** Registers `paracle approvals` (filled in by the issue that owns it). */
export function registerApprovals(_program: Command): void {}
