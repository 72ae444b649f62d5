/**
 * Deadlines are absolute times (ms epoch) persisted on each request (`expiresAt`, reminder
 * offsets); a scheduler only wakes the service at those times. After a restart the service
 * re-arms every open request from what is stored, so timers resume where they were.
 */
import { type Clock, type ManualClock, systemClock } from "../clock.js";

export interface TimerHandle {
  cancel(): void;
}

/** Runs `task` at (or soon after) absolute time `at`, as read from the scheduler's clock. */
export interface TimerScheduler {
  schedule(at: number, task: () => unknown): TimerHandle;
}

/** setTimeout's ceiling: longer delays are re-armed in steps. */
const MAX_DELAY = 2_147_483_647;

/** Real timers (unref'd: they never keep the process alive on their own). */
export function systemScheduler(clock: Clock = systemClock): TimerScheduler {
  return {
    schedule(at, task) {
      let handle: NodeJS.Timeout | undefined;
      let cancelled = false;
      const arm = () => {
        const delay = Math.min(Math.max(0, at - clock.now()), MAX_DELAY);
        handle = setTimeout(() => {
          if (cancelled) return;
          if (clock.now() < at) arm();
          else void task();
        }, delay);
        handle.unref();
      };
      arm();
      return {
        cancel() {
          cancelled = true;
          if (handle) clearTimeout(handle);
        },
      };
    },
  };
}

interface FakeTask {
  at: number;
  seq: number;
  task: () => unknown;
}

/**
 * A scheduler driven by a `ManualClock`, for tests: `advance(ms)` moves the clock task by task,
 * running (and awaiting) each due task in time order, including tasks scheduled meanwhile.
 *
 * @example
 * const clock = new ManualClock(0);
 * const timers = new FakeScheduler(clock);
 * await timers.advance(60_000);
 */
export class FakeScheduler implements TimerScheduler {
  readonly #clock: ManualClock;
  #tasks: FakeTask[] = [];
  #seq = 0;

  constructor(clock: ManualClock) {
    this.#clock = clock;
  }

  schedule(at: number, task: () => unknown): TimerHandle {
    const entry = { at, seq: this.#seq++, task };
    this.#tasks.push(entry);
    return {
      cancel: () => {
        this.#tasks = this.#tasks.filter((t) => t !== entry);
      },
    };
  }

  /** Number of armed tasks. */
  get size(): number {
    return this.#tasks.length;
  }

  /** Earliest armed time, if any. */
  get next(): number | undefined {
    return this.#earliest()?.at;
  }

  /** Moves the clock forward by `ms`, running due tasks in order (at most 10,000 of them). */
  async advance(ms: number): Promise<void> {
    const target = this.#clock.now() + ms;
    for (let i = 0; i < 10_000; i++) {
      const next = this.#earliest();
      if (!next || next.at > target) break;
      this.#tasks = this.#tasks.filter((t) => t !== next);
      if (next.at > this.#clock.now()) this.#clock.set(next.at);
      await next.task();
    }
    if (target > this.#clock.now()) this.#clock.set(target);
  }

  /** Runs the tasks already due without moving the clock. */
  runDue(): Promise<void> {
    return this.advance(0);
  }

  #earliest(): FakeTask | undefined {
    let best: FakeTask | undefined;
    for (const t of this.#tasks) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
