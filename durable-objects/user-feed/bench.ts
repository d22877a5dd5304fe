/**
 * Bench only (worker/routes/bench.ts, behind ADMIN_TOKEN): the loops a fan-out is measured
 * against, run from one object to many at the fan-out's concurrency, exactly as fanout.ts issues
 * deliveries. `noop` is the cheapest call an object can answer (the RPC ceiling); `benchWrite`
 * commits one row in the target's SQLite, which every delivery does too (the floor a delivery
 * cannot beat on one local thread).
 */
import { mapPool } from "../../core/pool";

export type BenchCall = "noop" | "benchWrite";

/** A KV key (SQLite-backed storage keeps it in a table of its own): one row written, none of ours touched. */
const BENCH_KEY = "bench:lastWrite";

export function benchWrite(storage: DurableObjectStorage): number {
  const writes = (storage.kv.get<number>(BENCH_KEY) ?? 0) + 1;
  storage.kv.put(BENCH_KEY, writes);
  return writes;
}

export async function benchRpcLoop(env: Env, targets: string[], concurrency: number, call: BenchCall): Promise<{ calls: number; ms: number }> {
  const started = Date.now();
  await mapPool(targets, concurrency, (id) => (call === "benchWrite" ? env.USER_FEED.getByName(id).benchWrite() : env.USER_FEED.getByName(id).noop()));
  return { calls: targets.length, ms: Date.now() - started };
}
