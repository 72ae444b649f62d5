import type { Command } from "commander";

/** Registers `paracle test` (filled in by the issue that owns it). */
export function registerTest(_program: Command): void {}
