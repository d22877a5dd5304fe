/**
 * The fan-out's adaptive concurrency (core/adaptive-limit.ts) as a unit: AIMD on latency over the
 * fastest call seen, bounded by min and max, halving at most once per window; and mapAdaptive
 * (core/pool.ts) keeping no more calls in flight than the limit allows as it moves.
 */
import { describe, expect, it } from "vitest";
import { AdaptiveLimit } from "../../core/adaptive-limit";
import { newDeliveryLimit, DELIVERY_CONCURRENCY, DELIVERY_QUEUE_TOLERANCE_MS } from "../../core/config";
import { mapAdaptive } from "../../core/pool";

const limitOf = (initial: number, min = 1, max = 32) => new AdaptiveLimit({ min, max, initial, toleranceMs: 20 });

/** One call that begins now and ends after `ms`. */
const call = (limit: AdaptiveLimit, ms: number, ok = true) => limit.end(limit.begin(), ms, ok);

describe("AdaptiveLimit", () => {
  it("starts at the initial limit, clamped to [min, max]; the fan-out's starts at DELIVERY_CONCURRENCY", () => {
    expect(limitOf(8).current).toBe(8);
    expect(limitOf(100, 1, 32).current).toBe(32);
    expect(limitOf(0, 2, 32).current).toBe(2);
    expect(newDeliveryLimit().current).toBe(DELIVERY_CONCURRENCY);
    expect(() => new AdaptiveLimit({ min: 0, max: 4, initial: 1, toleranceMs: 1 })).toThrow();
  });

  it("halves on a slow call (latency over the fastest seen by more than the tolerance), never below min", () => {
    const limit = limitOf(32, 3);
    call(limit, 2); // the floor: 2 ms
    call(limit, 22); // 20 over the floor: not slow
    expect(limit.current).toBe(32);
    const steps: number[] = [];
    for (let i = 0; i < 6; i++) {
      call(limit, 23); // 21 over: slow (each call began after the previous decrease)
      steps.push(limit.current);
    }
    expect(steps).toEqual([16, 8, 4, 3, 3, 3]);
  });

  it("halves at most once per window: slow answers to calls begun before the decrease are not counted again", () => {
    const limit = limitOf(32);
    call(limit, 1);
    const tickets = Array.from({ length: 32 }, () => limit.begin()); // 32 in flight at once
    for (const ticket of tickets) limit.end(ticket, 500);
    expect(limit.current).toBe(16);
    call(limit, 500); // begun after the decrease: a new signal
    expect(limit.current).toBe(8);
  });

  it("grows by one after a window of fast calls (limit answers in a row), never above max", () => {
    const limit = limitOf(4, 1, 6);
    for (let i = 0; i < 3; i++) call(limit, 5);
    expect(limit.current).toBe(4);
    call(limit, 5);
    expect(limit.current).toBe(5);
    for (let i = 0; i < 5; i++) call(limit, 5);
    expect(limit.current).toBe(6);
    for (let i = 0; i < 100; i++) call(limit, 5);
    expect(limit.current).toBe(6);
    // a slow call halves and starts the window's count again
    const again = limitOf(4);
    for (let i = 0; i < 3; i++) call(again, 5);
    call(again, 100);
    expect(again.current).toBe(2);
    call(again, 5);
    expect(again.current).toBe(2);
    call(again, 5);
    expect(again.current).toBe(3);
  });

  it("a failed call counts as slow; a far callee (every call 100 ms, none queued) is not slow", () => {
    const failing = limitOf(8);
    call(failing, 1);
    call(failing, 1, false);
    expect(failing.current).toBe(4);
    const far = limitOf(8);
    for (let i = 0; i < 40; i++) call(far, 100 + (i % 3));
    expect(far.current).toBeGreaterThan(8);
    expect(far.floorMs).toBe(100);
  });

  it("the fan-out's tolerance is small against the 200 ms a reader may wait", () => {
    expect(DELIVERY_QUEUE_TOLERANCE_MS).toBeLessThanOrEqual(50);
  });
});

describe("mapAdaptive", () => {
  /** Work whose calls take `latency(i)` ms on a fake clock; records the calls in flight. */
  function harness(latency: (index: number) => number) {
    let clock = 0;
    let inFlight = 0;
    const maxInFlight: number[] = [];
    const work = async (index: number) => {
      inFlight++;
      maxInFlight.push(inFlight);
      await new Promise((r) => setTimeout(r, 0));
      clock += latency(index);
      inFlight--;
      return index * 10;
    };
    return { work, now: () => clock, maxInFlight };
  }

  it("runs every item once, results in order, never more in flight than the limit", async () => {
    const limit = limitOf(5);
    const h = harness(() => 1);
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(await mapAdaptive(items, limit, h.work, { now: h.now })).toEqual(items.map((i) => i * 10));
    expect(Math.max(...h.maxInFlight)).toBeLessThanOrEqual(limit.current);
    expect(h.maxInFlight.length).toBe(50);
  });

  it("fewer calls in flight once they turn slow", async () => {
    const limit = limitOf(16);
    // Fast at first, then every call is queued (the clock jumps 200 ms per call).
    const h = harness((i) => (i < 16 ? 0 : 200));
    const items = Array.from({ length: 80 }, (_, i) => i);
    await mapAdaptive(items, limit, h.work, { now: h.now });
    expect(limit.current).toBeLessThanOrEqual(2);
    expect(Math.max(...h.maxInFlight.slice(-20))).toBeLessThanOrEqual(2);
  });

  it("atLeast as a function is asked at each launch: a deadline passed mid-way raises the calls in flight at once", async () => {
    const limit = limitOf(1, 1, 32);
    const h = harness((i) => (i === 0 ? 0 : 300)); // the first fast, every later one slow: the limit stays at 1
    const items = Array.from({ length: 40 }, (_, i) => i);
    // The fan-out's guard: past its deadline (here the fake clock's 3 s), a job runs at 8 whatever the limit.
    await mapAdaptive(items, limit, h.work, { now: h.now, atLeast: () => (h.now() > 3000 ? 8 : 1) });
    expect(limit.current).toBeLessThanOrEqual(2);
    expect(Math.max(...h.maxInFlight.slice(0, 5))).toBeLessThanOrEqual(2);
    expect(Math.max(...h.maxInFlight)).toBe(8);
  });

  it("rejects with the first failure and starts nothing after it", async () => {
    const limit = limitOf(2);
    const started: number[] = [];
    const result = mapAdaptive([0, 1, 2, 3, 4, 5], limit, async (i) => {
      started.push(i);
      if (i === 1) throw new Error("boom");
      await new Promise((r) => setTimeout(r, 5));
      return i;
    });
    await expect(result).rejects.toThrow("boom");
    await new Promise((r) => setTimeout(r, 20));
    expect(started.length).toBeLessThanOrEqual(3);
    expect(await mapAdaptive([], limit, async () => 1)).toEqual([]);
  });
});
