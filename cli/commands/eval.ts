import type { Command } from "commander";

/** Registers `paracle eval` (filled in by the issue that owns it). */
export function registerEval(_program: Command): void {}
