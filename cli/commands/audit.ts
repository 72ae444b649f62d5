import type { Command } from "commander";

/** Registers `paracle audit` (filled in by the issue that owns it). */
export function registerAudit(_program: Command): void {}
