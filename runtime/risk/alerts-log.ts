import type { Alert, AlertSink } from "./alerts.js";

/**
 * Writes each alert as one structured JSON line (`{"msg":"risk.alert",...}`) to an injected
 * writer (e.g. `(line) => process.stderr.write(line)`). Only the alert's fields are written: ids,
 * score, level and policy ids, never argument values.
 */
export class LogAlertSink implements AlertSink {
  readonly name = "log";
  readonly #write: (line: string) => void;
  #written = 0;
  #errors = 0;

  constructor(opts: { write: (line: string) => void }) {
    this.#write = opts.write;
  }

  emit(alert: Alert): void {
    try {
      this.#write(`${JSON.stringify({ msg: "risk.alert", ...alert })}\n`);
      this.#written++;
    } catch {
      this.#errors++;
    }
  }

  stats(): Record<string, number> {
    return { written: this.#written, errors: this.#errors };
  }
}
