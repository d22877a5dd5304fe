/**
 * Phase "fanout": push fan-out to 1,000 and 5,000 active followers whose objects were evicted
 * (12 s idle before each), a sample check that the post reached their timelines, then the same
 * 1,000 followers with their objects warm. `rpcCeilingPerSecond` (the rpc phase's, null if it did
 * not run) is what the evicted rate was compared to; the real floor is a loop of RPCs that each
 * commit one row (a delivery commits its timeline row too), measured here on the same objects,
 * evicted (p5000's followers, after the same idle wait) and warm (p1000's, just before the warm
 * fan-out), at the fan-out's concurrency (DELIVERY_CONCURRENCY, the server's default for the loop).
 */
import { json, sleep } from "../lib/load.mjs";
import { round } from "../lib/context.mjs";

export async function measureFanout({ api, admin, cfg, log, fanout, rpcLoop }, world, { rpcCeilingPerSecond } = {}) {
  log("push fan-out");
  await sleep(cfg.evictWaitMs);
  const f1 = await fanout(world, "p1000", 1000, "1,000 active followers");
  await sleep(cfg.evictWaitMs);
  const f5 = await fanout(world, "p5000", 5000, "5,000 active followers");
  const out = {};
  out.fanout1000Ms = round(f1.ms, 0);
  out.fanout5000Ms = round(f5.ms, 0);
  out.fanoutPerSecond = round(f5.recipients / (f5.ms / 1000));
  out.fanout1000PerSecond = round(f1.recipients / (f1.ms / 1000));
  out.fanoutRatio = round(out.fanoutPerSecond / rpcCeilingPerSecond, 3);
  out.fanout5000Recipients = f5.recipients;
  // Sample followers: the post is in their timelines.
  const sample = world.ids ? Array.from({ length: 10 }, (_, i) => world.ids[`c${i * 97}`]) : [];
  let found = 0;
  for (const id of sample) {
    const res = await json(api(`/bench/users/${id}`), { headers: admin });
    if (res.json?.data?.timelineNewest?.includes(f5.post.id)) found++;
  }
  out.fanoutSampleDelivered = found;
  log(`  sample check: ${found}/${sample.length} followers hold the post`);

  log(`write floor, objects evicted: waiting ${cfg.evictWaitMs / 1000} s, then one-row-write RPCs to the same 5,000 followers`);
  await sleep(cfg.evictWaitMs);
  out.writeRpcFloorPerSecond = round(await rpcLoop(world, "evicted objects re-opened", "p5000", 5000, "benchWrite"));
  out.fanoutFloorRatio = round(out.fanoutPerSecond / out.writeRpcFloorPerSecond, 3);
  // The same deliveries timed by their batches alone (the server's durationMs): what is left of
  // the gap is the job loop between batches (a follower page from D1, progress, the next alarm).
  out.fanoutBatchesFloorRatio = round(f5.recipients / (f5.serverMs / 1000) / out.writeRpcFloorPerSecond, 3);

  // The same 1,000 followers with their objects live, as for followers using the app right now
  // (locally an idle object is evicted after ~10 s, and re-opening one is serialized on workerd's
  // one thread: that, not the fan-out, is what the cold figures above measure).
  log("push fan-out to warm objects: wake p1000's followers, measure the no-op RPC rate to them, then post at once");
  await rpcLoop(world, "wake (re-open)", "p1000", 1000);
  out.rpcCeilingWarm1000PerSecond = round(await rpcLoop(world, "warm objects", "p1000", 1000));
  out.writeRpcFloorWarmPerSecond = round(await rpcLoop(world, "warm objects", "p1000", 1000, "benchWrite"));
  const w1 = await fanout(world, "p1000", 1000, "1,000 active followers, objects warm");
  out.fanout1000WarmMs = round(w1.ms, 0);
  out.fanoutWarmPerSecond = round(w1.recipients / (w1.ms / 1000));
  out.fanoutWarmRatio = round(out.fanoutWarmPerSecond / out.rpcCeilingWarm1000PerSecond, 3);
  out.fanoutWarmFloorRatio = round(out.fanoutWarmPerSecond / out.writeRpcFloorWarmPerSecond, 3);
  log(`  fan-out ÷ write floor: evicted ${out.fanoutFloorRatio} (batches alone ${out.fanoutBatchesFloorRatio}), warm ${out.fanoutWarmFloorRatio} (goal ≥ 0.8)`);
  return out;
}
