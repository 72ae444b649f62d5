/** Whether `tz` is an IANA time zone this Node.js (its ICU data) knows, e.g. `Europe/Paris`. */
export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
