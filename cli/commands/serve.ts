import type { Command } from "commander";

/** Registers `paracle serve` (filled in by the issue that owns it). */
export function registerServe(_program: Command): void {}
