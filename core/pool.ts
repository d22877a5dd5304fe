import type { AdaptiveLimit } from "./adaptive-limit";

/** Runs `work` over `items` with at most `concurrency` in flight; rejects with the first failure. */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * Runs `work` over `items` in order with at most `limit.current` in flight (but `atLeast`: a
 * number, or a function asked again at each launch, e.g. a deadline), read again each time a call
 * ends (core/adaptive-limit.ts), and tells the limit each call's latency.
 * Rejects with the first failure and starts nothing after it. `now`: the clock (tests pass their own).
 */
export function mapAdaptive<T, R>(items: readonly T[], limit: AdaptiveLimit, work: (item: T) => Promise<R>, { atLeast = 1, now = Date.now }: { atLeast?: number | (() => number); now?: () => number } = {}): Promise<R[]> {
  const minimum = typeof atLeast === "function" ? atLeast : () => atLeast;
  const results = new Array<R>(items.length);
  if (items.length === 0) return Promise.resolve(results);
  return new Promise((resolve, reject) => {
    let next = 0;
    let inFlight = 0;
    let failed = false;
    const launch = () => {
      while (!failed && inFlight < Math.max(minimum(), limit.current) && next < items.length) {
        const index = next++;
        inFlight++;
        const ticket = limit.begin();
        const started = now();
        Promise.resolve()
          .then(() => work(items[index]))
          .then(
            (result) => {
              results[index] = result;
              limit.end(ticket, now() - started);
            },
            (error) => {
              limit.end(ticket, now() - started, false);
              if (!failed) (failed = true), reject(error);
            },
          )
          .finally(() => {
            inFlight--;
            if (failed) return;
            if (next >= items.length && inFlight === 0) resolve(results);
            else launch();
          });
      }
    };
    launch();
  });
}
