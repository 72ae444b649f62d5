/**
 * Rate-limit and quota counters kept in LMDB, so that a restart does not hand out a fresh budget
 * (a `1d` quota must not reset because the sidecar was redeployed).
 *
 * One entry per counter, keyed `[kind, counter key]`, valued with the counter's state (JSON); a
 * counter that expired or was evicted is deleted. {@link PersistentLimits} writes the counters
 * that changed every `flushIntervalMs` (default 1 s) and when stopped, off the decision path: a
 * crash loses at most the last interval's counts.
 */
import { mkdirSync } from "node:fs";
import { open, type RootDatabase } from "lmdb";
import type { Clock } from "../clock.js";
import { systemClock } from "../clock.js";
import type { CounterState, LimitCounters, LimitStore } from "./limits.js";

type Key = [CounterState["kind"], string];
type Stored =
  | { times: number[]; expiresAt: number }
  | { windowStart: number; used: number; expiresAt: number };

export class LmdbLimitStore implements LimitStore {
  readonly #root: RootDatabase<Stored, Key>;

  private constructor(root: RootDatabase<Stored, Key>) {
    this.#root = root;
  }

  /** Opens (creating if needed) the store in the directory `path`. */
  static open(path: string): LmdbLimitStore {
    mkdirSync(path, { recursive: true });
    return new LmdbLimitStore(open<Stored, Key>({ path, encoding: "json" }));
  }

  *load(): Iterable<CounterState> {
    for (const { key, value } of this.#root.getRange()) {
      const [kind, k] = key;
      if (kind === "rate" && "times" in value && Array.isArray(value.times))
        yield { kind, key: k, times: value.times, expiresAt: value.expiresAt };
      else if (kind === "quota" && "used" in value)
        yield {
          kind,
          key: k,
          windowStart: value.windowStart,
          used: value.used,
          expiresAt: value.expiresAt,
        };
    }
  }

  async save(changes: CounterState[]): Promise<void> {
    if (changes.length === 0) return;
    await this.#root.transaction(() => {
      for (const c of changes) {
        const key: Key = [c.kind, c.key];
        if ("removed" in c) this.#root.remove(key);
        else if (c.kind === "rate") this.#root.put(key, { times: c.times, expiresAt: c.expiresAt });
        else
          this.#root.put(key, {
            windowStart: c.windowStart,
            used: c.used,
            expiresAt: c.expiresAt,
          });
      }
    });
  }

  async close(): Promise<void> {
    await this.#root.close();
  }
}

export interface PersistentLimitsOptions {
  counters: LimitCounters;
  store: LimitStore;
  /** How often changed counters are written (default 1,000 ms). */
  flushIntervalMs?: number;
  clock?: Clock;
  /** Called when a write fails (the counters keep counting in memory; the next flush retries). */
  onError?: (error: unknown) => void;
}

/**
 * Binds {@link LimitCounters} to a {@link LimitStore}: `start` restores the persisted counters
 * and starts the periodic flush, `flush` writes what changed, `stop` writes the last changes.
 *
 * @example
 * const counters = new LimitCounters();
 * const store = LmdbLimitStore.open("data/limits");
 * const limits = new PersistentLimits({ counters, store });
 * await limits.start();
 * const engine = new PolicyEngine({ bundle, limits: counters });
 * // ... on shutdown:
 * await limits.stop();
 * await store.close();
 */
export class PersistentLimits {
  readonly #opts: PersistentLimitsOptions;
  readonly #clock: Clock;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  // changes taken from the counters but not yet written (a failed write is retried)
  #pending = new Map<string, CounterState>();
  #failures = 0;

  constructor(opts: PersistentLimitsOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
  }

  /** Restores the persisted counters that are still live, then flushes periodically. */
  async start(): Promise<{ restored: number }> {
    const { counters, store } = this.#opts;
    const now = this.#clock.now();
    let restored = 0;
    for (const state of store.load()) {
      if ("removed" in state) continue;
      if (state.expiresAt > now) {
        counters.restore(state, now);
        restored++;
      } else {
        // expired while the process was down: deleted by the first flush
        this.#pending.set(`${state.kind}\u0000${state.key}`, {
          kind: state.kind,
          key: state.key,
          removed: true,
        });
      }
    }
    counters.trackChanges();
    const every = this.#opts.flushIntervalMs ?? 1000;
    this.#timer = setInterval(() => {
      this.flush().catch(() => {});
    }, every);
    this.#timer.unref();
    return { restored };
  }

  /** Writes the counters that changed since the last flush. */
  flush(): Promise<void> {
    // one flush at a time, in order; a failed one does not stop the next
    this.#flushing = this.#flushing
      .catch(() => {})
      .then(async () => {
        for (const c of this.#opts.counters.takeChanges(this.#clock.now()))
          this.#pending.set(`${c.kind}\u0000${c.key}`, c);
        if (this.#pending.size === 0) return;
        const batch = [...this.#pending.values()];
        try {
          await this.#opts.store.save(batch);
          this.#pending = new Map();
        } catch (e) {
          this.#failures++;
          this.#opts.onError?.(e);
          throw e;
        }
      });
    return this.#flushing;
  }

  /** Writes that failed so far (their changes were kept for the next flush). */
  get failures(): number {
    return this.#failures;
  }

  /** Stops the timer and writes the last changes. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}
