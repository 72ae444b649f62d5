/**
 * A JavaScript literal for a JSON value. Every user string reaches generated code only through
 * here: JSON.stringify escapes quotes, backslashes and control characters, and U+2028/U+2029
 * (legal in JSON, line terminators in older JS) are escaped too, so no value can close the
 * literal and inject code.
 */
export function jsLiteral(value: unknown): string {
  const text = JSON.stringify(value === undefined ? null : value);
  return text.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
