/**
 * How many calls one object keeps in flight to others, adapted to the latency it observes:
 * additive increase, multiplicative decrease, as TCP's congestion window.
 *
 * Why: every call into another object waits in the same queue as the interactive requests (on
 * one machine, one runtime thread; on Cloudflare, the callee's own queue). Past the point where
 * the callees are busy, more calls in flight do not deliver faster; they only make the queue
 * longer, and a feed read, a post or a socket message waits behind all of it. So a caller
 * that sees its calls take longer than they do on a quiet system backs off, and a crowded
 * runtime gets fewer concurrent deliveries rather than a longer queue.
 *
 * The signal is a call's latency over the fastest this caller has seen (its floor: the cost of
 * the call itself, with no queue, wherever the callee is), so a far callee is not "slow" for
 * being far. A call is slow when it took more than `toleranceMs` over the floor: that excess is
 * time spent queued behind other work.
 *
 *   slow call: limit halves (never below `min`), at most once per window: a slow answer to a
 *              call made before the last decrease says nothing about the new limit.
 *   fast call: after `limit` fast answers in a row (one window's worth), limit + 1 (never above `max`).
 */
export interface AdaptiveLimitOptions {
  min: number;
  max: number;
  /** The limit before anything is observed (a quiet system behaves exactly as with a fixed one). */
  initial: number;
  toleranceMs: number;
}

export class AdaptiveLimit {
  #limit: number;
  #floorMs = Infinity;
  /** Calls begun so far; a call's ticket is its number. */
  #begun = 0;
  /** Tickets up to this one were issued before the last decrease. */
  #decreasedAfter = 0;
  #fastInWindow = 0;

  constructor(private readonly options: AdaptiveLimitOptions) {
    if (options.min < 1 || options.max < options.min) throw new Error("AdaptiveLimit: need 1 <= min <= max");
    this.#limit = Math.min(options.max, Math.max(options.min, options.initial));
  }

  /** Calls allowed in flight now. */
  get current(): number {
    return this.#limit;
  }

  /** The fastest call seen (ms), Infinity before the first. */
  get floorMs(): number {
    return this.#floorMs;
  }

  /** A call starts: its ticket, to hand back to `end`. */
  begin(): number {
    return ++this.#begun;
  }

  /** The call with `ticket` ended after `latencyMs`; `ok` false (it failed) counts as slow. */
  end(ticket: number, latencyMs: number, ok = true): void {
    this.#floorMs = Math.min(this.#floorMs, latencyMs);
    const slow = !ok || latencyMs > this.#floorMs + this.options.toleranceMs;
    if (slow) {
      this.#fastInWindow = 0;
      if (ticket <= this.#decreasedAfter) return;
      this.#limit = Math.max(this.options.min, Math.floor(this.#limit / 2));
      this.#decreasedAfter = this.#begun;
      return;
    }
    if (++this.#fastInWindow >= this.#limit) {
      this.#fastInWindow = 0;
      this.#limit = Math.min(this.options.max, this.#limit + 1);
    }
  }
}
