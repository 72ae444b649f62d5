/**
 * Time source injected everywhere the runtime reads the time, so tests can pin it.
 * `now()` returns milliseconds since the Unix epoch (like `Date.now()`).
 */
export interface Clock {
  now(): number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when told to; for tests.
 *
 * @example
 * const clock = new ManualClock(Date.parse("2025-01-06T09:00:00Z"));
 * clock.advance(60_000); // one minute later
 */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` (must be ≥ 0: time never goes back). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot advance a clock by \`${ms}\` ms`);
    this.#now += ms;
  }

  /** Sets the clock to `ms` (must not be earlier than the current time). */
  set(ms: number): void {
    if (!(ms >= this.#now)) throw new RangeError(`cannot move a clock back to \`${ms}\``);
    this.#now = ms;
  }
}
