import { type Clock, systemClock } from "../clock.js";

/** What the bundle sees as `input.history` (risk issue, item 3). */
export type HistoryStats = {
  /** Calls by the agent in the window (including the current one when injected by the engine). */
  calls: number;
  /** Denied decisions in the window. */
  denials: number;
  /** Failed outcomes (tool errors) in the window. */
  errors: number;
  /** Calls per minute over the window. */
  rate: number;
  /** z-score of the current call rate against its EWMA baseline; 0 until the baseline warms up. */
  anomaly: number;
};

export interface HistoryOptions {
  clock?: Clock;
  /** Length of the sliding window (default 5 minutes). */
  windowMs?: number;
  /** Bucket width (default 10 s); the window holds `windowMs / bucketMs` buckets. */
  bucketMs?: number;
  /** EWMA smoothing factor per bucket, in (0, 1] (default 0.1). */
  alpha?: number;
  /** Completed buckets needed before `anomaly` is computed (default 6). */
  warmupBuckets?: number;
  /** Agents tracked at most; the least recently seen is forgotten first (default 10,000). */
  maxAgents?: number;
}

const MAX_FOLD = 500;

interface Bucket {
  start: number;
  calls: number;
  denials: number;
  errors: number;
}

interface AgentHistory {
  /** Ring of buckets indexed by `floor(start / bucketMs) % buckets.length`. */
  buckets: Bucket[];
  /** Start of the newest bucket folded into the EWMA baseline. */
  baselineUntil: number;
  mean: number;
  variance: number;
  samples: number;
}

/**
 * Per-agent sliding-window statistics and an anomaly score, in bounded memory.
 *
 * Counts live in a ring of fixed-width buckets (so memory per agent is `windowMs / bucketMs`
 * buckets, at most `maxAgents` agents, LRU); the window is the current bucket and the ones before
 * it, so its start moves in steps of `bucketMs`. When a bucket completes, its call count updates an
 * exponentially weighted mean and variance (West 1979 / Finch 2009 incremental EWMA); the anomaly
 * is `(c - mean) / max(stddev, 1)` where `c` is the call count of the current bucket, so a quiet
 * agent's first calls don't read as infinitely anomalous. Empty buckets count as 0 calls, so a burst
 * after a long silence scores high.
 */
export class HistoryTracker {
  readonly #clock: Clock;
  readonly windowMs: number;
  readonly bucketMs: number;
  readonly #alpha: number;
  readonly #warmup: number;
  readonly #maxAgents: number;
  readonly #agents = new Map<string, AgentHistory>();

  constructor(opts: HistoryOptions = {}) {
    this.#clock = opts.clock ?? systemClock;
    this.bucketMs = opts.bucketMs ?? 10_000;
    this.windowMs = opts.windowMs ?? 300_000;
    this.#alpha = opts.alpha ?? 0.1;
    this.#warmup = opts.warmupBuckets ?? 6;
    this.#maxAgents = opts.maxAgents ?? 10_000;
    if (!(this.bucketMs > 0) || !(this.windowMs >= this.bucketMs)) {
      throw new RangeError("history window must be at least one bucket long");
    }
    if (!(this.#alpha > 0 && this.#alpha <= 1)) throw new RangeError("alpha must be in (0, 1]");
  }

  /** Agents currently tracked. */
  get size(): number {
    return this.#agents.size;
  }

  /** Statistics of `agentId` now (zeros for an unknown agent). Does not count a call. */
  stats(agentId: string): HistoryStats {
    const now = this.#clock.now();
    const h = this.#agents.get(agentId);
    if (h === undefined) return { calls: 0, denials: 0, errors: 0, rate: 0, anomaly: 0 };
    this.#advance(h, now);
    let calls = 0;
    let denials = 0;
    let errors = 0;
    const oldest = this.#bucketStart(now) - this.windowMs + this.bucketMs;
    for (const b of h.buckets) {
      if (b.start < oldest || b.start > now) continue;
      calls += b.calls;
      denials += b.denials;
      errors += b.errors;
    }
    const current = this.#bucket(h, now).calls;
    const anomaly =
      h.samples >= this.#warmup ? (current - h.mean) / Math.max(Math.sqrt(h.variance), 1) : 0;
    return { calls, denials, errors, rate: calls / (this.windowMs / 60_000), anomaly };
  }

  /** Counts one call by `agentId` now. */
  recordCall(agentId: string): void {
    this.#bucket(this.#touch(agentId), this.#clock.now()).calls++;
  }

  /** Counts a denied decision for `agentId` now. */
  recordDenial(agentId: string): void {
    this.#bucket(this.#touch(agentId), this.#clock.now()).denials++;
  }

  /** Counts a failed outcome (tool error) for `agentId` now. */
  recordError(agentId: string): void {
    this.#bucket(this.#touch(agentId), this.#clock.now()).errors++;
  }

  #bucketStart(t: number): number {
    return t - (((t % this.bucketMs) + this.bucketMs) % this.bucketMs);
  }

  #touch(agentId: string): AgentHistory {
    let h = this.#agents.get(agentId);
    if (h !== undefined) this.#agents.delete(agentId);
    else {
      const n = Math.ceil(this.windowMs / this.bucketMs);
      h = {
        buckets: Array.from({ length: n }, () => ({ start: -1, calls: 0, denials: 0, errors: 0 })),
        baselineUntil: this.#bucketStart(this.#clock.now()) - this.bucketMs,
        mean: 0,
        variance: 0,
        samples: 0,
      };
      if (this.#agents.size >= this.#maxAgents) {
        const lru = this.#agents.keys().next().value;
        if (lru !== undefined) this.#agents.delete(lru);
      }
    }
    this.#agents.set(agentId, h);
    this.#advance(h, this.#clock.now());
    return h;
  }

  /** The bucket holding time `t` (reset if it held an older period). */
  #bucket(h: AgentHistory, t: number): Bucket {
    const start = this.#bucketStart(t);
    const b = h.buckets[Math.floor(start / this.bucketMs) % h.buckets.length]!;
    if (b.start !== start) {
      b.start = start;
      b.calls = 0;
      b.denials = 0;
      b.errors = 0;
    }
    return b;
  }

  /** Folds every bucket completed before `now` into the EWMA baseline (at most one window's). */
  #advance(h: AgentHistory, now: number): void {
    const current = this.#bucketStart(now);
    // After a long silence, only the last MAX_FOLD empty buckets are folded: by then the EWMA has
    // decayed to ~0 for any alpha >= 0.05 (0.95^500 < 1e-11), so the result is the same.
    const from = Math.max(h.baselineUntil + this.bucketMs, current - MAX_FOLD * this.bucketMs);
    for (let s = from; s < current; s += this.bucketMs) {
      const b = h.buckets[Math.floor(s / this.bucketMs) % h.buckets.length]!;
      const x = b.start === s ? b.calls : 0;
      if (h.samples === 0) h.mean = x;
      else {
        const diff = x - h.mean;
        const incr = this.#alpha * diff;
        h.mean += incr;
        h.variance = (1 - this.#alpha) * (h.variance + diff * incr);
      }
      h.samples++;
      h.baselineUntil = s;
    }
  }
}
