/**
 * `--watch`: run once, then rerun whenever a policy, suite or bundle file under the watched paths
 * changes. Events are debounced; runs never overlap (a change during a run schedules one more run).
 */
import { type FSWatcher, watch as fsWatch } from "node:fs";

/** Files whose changes trigger a rerun. */
export const watchedFilePattern = /\.(ya?ml|mjs|json)$/;

export interface WatchOptions {
  /** Stops watching; the returned promise resolves once the current run (if any) ends. */
  signal: AbortSignal;
  debounceMs?: number;
  /** Injected for tests; defaults to node:fs `watch` (recursive). */
  watch?: (path: string, listener: (file: string | null) => void) => Pick<FSWatcher, "close">;
}

export async function watchAndRerun(
  paths: readonly string[],
  run: () => Promise<void>,
  options: WatchOptions,
): Promise<void> {
  const debounceMs = options.debounceMs ?? 100;
  const watch =
    options.watch ??
    ((path, listener) => fsWatch(path, { recursive: true }, (_event, file) => listener(file)));
  let running: Promise<void> | undefined;
  let pending = false;
  let timer: NodeJS.Timeout | undefined;
  const trigger = (): void => {
    if (options.signal.aborted) return;
    if (running) {
      pending = true;
      return;
    }
    running = run()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
        if (pending) {
          pending = false;
          trigger();
        }
      });
  };
  const watchers = paths.map((p) =>
    watch(p, (file) => {
      if (file !== null && !watchedFilePattern.test(file)) return;
      clearTimeout(timer);
      timer = setTimeout(trigger, debounceMs);
    }),
  );
  trigger();
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    else options.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  clearTimeout(timer);
  for (const w of watchers) w.close();
  await running;
}
