/** Errors of the audit trail, with stable codes and messages from {@link MESSAGES}. */
import { MESSAGES, type MessageCode } from "./messages.js";

export class AuditError extends Error {
  readonly code: MessageCode;

  constructor(code: MessageCode, args: Record<string, string | number> = {}) {
    super(formatMessage(code, args));
    this.name = "AuditError";
    this.code = code;
  }
}

/** Fills `{name}` placeholders of a catalogue message. */
export function formatMessage(code: MessageCode, args: Record<string, string | number>): string {
  return MESSAGES[code].replace(/\{(\w+)\}/g, (_, k: string) => String(args[k] ?? `{${k}}`));
}
