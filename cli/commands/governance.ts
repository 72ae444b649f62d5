import type { Command } from "commander";

/** Registers `paracle governance` (filled in by the issue that owns it). */
export function registerGovernance(_program: Command): void {}
