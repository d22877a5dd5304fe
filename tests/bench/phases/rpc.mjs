/**
 * Phase "rpc": the RPC ceiling, no-op calls from one object to p5000's 5,000 followers' UserFeeds,
 * 32 in flight as in a fan-out: first touch, then re-opened after eviction, then warm.
 */
import { sleep } from "../lib/load.mjs";
import { round } from "../lib/context.mjs";

export async function measureRpcCeiling({ rpcLoop, cfg, log }, world) {
  log("RPC ceiling: no-op RPCs from one object to the 5,000 followers' UserFeeds, 32 in flight (as fan-out)");
  const rpcCeilingColdPerSecond = round(await rpcLoop(world, "first touch (objects created)"));
  log(`  waiting ${cfg.evictWaitMs / 1000} s for idle objects to be evicted`);
  await sleep(cfg.evictWaitMs);
  const rpcCeilingPerSecond = round(await rpcLoop(world, "evicted objects re-opened (the fan-out's case)"));
  const rpcCeilingWarmPerSecond = round(await rpcLoop(world, "warm objects"));
  return { rpcCeilingColdPerSecond, rpcCeilingPerSecond, rpcCeilingWarmPerSecond };
}
