import { BoundedMap } from "./lru.js";

/** Which decision-input dimensions a limit is counted per. */
export type LimitDimension = "agent" | "tool" | "session";

export interface RateLimitSpec {
  policy: string;
  limit: number;
  window_ms: number;
}

export interface QuotaSpec extends RateLimitSpec {
  amount: number;
}

/**
 * The state of one counter as persisted by a {@link LimitStore}: a rate key's accepted call times
 * (oldest first), a quota key's window and sum, or `removed` for a key that is gone (expired or
 * evicted) since it was last persisted.
 */
export type CounterState =
  | { kind: "rate"; key: string; times: number[]; expiresAt: number }
  | { kind: "quota"; key: string; windowStart: number; used: number; expiresAt: number }
  | { kind: "rate" | "quota"; key: string; removed: true };

/** Where {@link LimitCounters} keep their state across restarts (e.g. `LmdbLimitStore`). */
export interface LimitStore {
  /** Every persisted counter (expired ones may be included; they are skipped on restore). */
  load(): Iterable<CounterState>;
  /** Writes the changed counters (a later state of a key replaces the earlier one). */
  save(changes: CounterState[]): Promise<void>;
}

/** Outcome of a check: allowed, or refused with the time until it would be allowed. */
export type LimitCheck = { ok: true; commit(): void } | { ok: false; retryAfterMs: number };

interface RateState {
  /** Accepted call times, a ring of at most `limit` entries (oldest at `head`). */
  times: number[];
  head: number;
  expiresAt: number;
  weight: number;
}

interface QuotaState {
  windowStart: number;
  used: number;
  expiresAt: number;
  weight: number;
}

/**
 * In-memory counters for `rate_limit` and `quota` obligations.
 *
 * - rate limit: exact sliding window. A call at `t` is allowed iff fewer than `limit` accepted calls
 *   fall in `(t - window, t]`; only the last `limit` accepted times are kept per key.
 * - quota: fixed windows aligned on multiples of `window_ms` since the Unix epoch (so `1d` resets at
 *   00:00 UTC); a call is allowed iff `used + amount <= limit`.
 *
 * Memory is bounded by `maxEntries` stored numbers in total (a rate key weighs its stored times, a
 * quota key 1); least recently used keys are evicted first, and keys expire when their window is
 * empty. Eviction forgets counts (fails open for that key), so size the budget to the key space.
 */
export class LimitCounters {
  readonly #rates: BoundedMap<RateState>;
  readonly #quotas: BoundedMap<QuotaState>;
  // keys counted since the last `takeChanges` (only tracked once `trackChanges` is on)
  #track = false;
  readonly #dirtyRates = new Set<string>();
  readonly #dirtyQuotas = new Set<string>();

  constructor(opts: { maxEntries?: number } = {}) {
    const max = opts.maxEntries ?? 1_000_000;
    this.#rates = new BoundedMap(max);
    this.#quotas = new BoundedMap(Math.max(1, Math.floor(max / 8)));
  }

  /** Number of keys and stored numbers, and evictions so far (for metrics). */
  stats(): { keys: number; entries: number; evictions: number } {
    return {
      keys: this.#rates.size + this.#quotas.size,
      entries: this.#rates.weight + this.#quotas.weight,
      evictions: this.#rates.evictions + this.#quotas.evictions,
    };
  }

  checkRate(key: string, spec: RateLimitSpec, now: number): LimitCheck {
    const state = this.#rates.get(key, now);
    const count = state?.times.length ?? 0;
    if (count >= spec.limit) {
      if (state === undefined || count === 0) return { ok: false, retryAfterMs: spec.window_ms };
      // The oldest of the last `limit` accepted calls must have left the window.
      const oldest = state.times[state.head]!;
      if (oldest > now - spec.window_ms)
        return { ok: false, retryAfterMs: oldest + spec.window_ms - now };
    }
    return {
      ok: true,
      commit: () => {
        const s = state ?? { times: [], head: 0, expiresAt: 0, weight: 0 };
        if (s.times.length < spec.limit) s.times.push(now);
        else {
          s.times[s.head] = now;
          s.head = (s.head + 1) % s.times.length;
        }
        s.expiresAt = now + spec.window_ms;
        s.weight = s.times.length;
        this.#rates.set(key, s, now);
        if (this.#track) this.#dirtyRates.add(key);
      },
    };
  }

  checkQuota(key: string, spec: QuotaSpec, now: number): LimitCheck {
    const windowStart = now - (((now % spec.window_ms) + spec.window_ms) % spec.window_ms);
    const windowEnd = windowStart + spec.window_ms;
    const state = this.#quotas.get(key, now);
    const used = state !== undefined && state.windowStart === windowStart ? state.used : 0;
    if (used + spec.amount > spec.limit) return { ok: false, retryAfterMs: windowEnd - now };
    return {
      ok: true,
      commit: () => {
        this.#quotas.set(
          key,
          { windowStart, used: used + spec.amount, expiresAt: windowEnd, weight: 1 },
          now,
        );
        if (this.#track) this.#dirtyQuotas.add(key);
      },
    };
  }

  /** From now on, remember which counters change, for {@link takeChanges}. */
  trackChanges(): void {
    this.#track = true;
  }

  /**
   * The current state of every counter counted since the last call (a key evicted or expired
   * meanwhile is reported `removed`), and forgets them.
   */
  takeChanges(now: number): CounterState[] {
    const out: CounterState[] = [];
    for (const key of this.#dirtyRates) {
      const s = this.#rates.peek(key);
      if (s === undefined || s.expiresAt <= now || s.times.length === 0)
        out.push({ kind: "rate", key, removed: true });
      else {
        // the ring, oldest first
        const times = [...s.times.slice(s.head), ...s.times.slice(0, s.head)];
        out.push({ kind: "rate", key, times, expiresAt: s.expiresAt });
      }
    }
    for (const key of this.#dirtyQuotas) {
      const s = this.#quotas.peek(key);
      if (s === undefined || s.expiresAt <= now) out.push({ kind: "quota", key, removed: true });
      else
        out.push({
          kind: "quota",
          key,
          windowStart: s.windowStart,
          used: s.used,
          expiresAt: s.expiresAt,
        });
    }
    this.#dirtyRates.clear();
    this.#dirtyQuotas.clear();
    return out;
  }

  /** Puts back a persisted counter (skipped when expired at `now` or malformed). */
  restore(state: CounterState, now: number): void {
    if ("removed" in state || !(state.expiresAt > now)) return;
    if (state.kind === "rate") {
      const times = state.times.filter((t) => Number.isFinite(t));
      if (times.length === 0) return;
      this.#rates.set(
        state.key,
        { times, head: 0, expiresAt: state.expiresAt, weight: times.length },
        now,
      );
    } else if (Number.isFinite(state.used) && Number.isFinite(state.windowStart)) {
      this.#quotas.set(
        state.key,
        { windowStart: state.windowStart, used: state.used, expiresAt: state.expiresAt, weight: 1 },
        now,
      );
    }
  }
}
