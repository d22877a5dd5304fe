/**
 * Phase "live" (also `--only ws`): live delivery over WebSockets, 100 sockets (followers of p100,
 * 5 posts) then 1,000 (followers of p1000, 3 posts); latency from the POST's response to each
 * socket's new_post message.
 */
import { sleep, summarize } from "../lib/load.mjs";
import { closeAll, openMany } from "../lib/sockets.mjs";
import { round } from "../lib/context.mjs";

/**
 * `count` followers (c0…) online, `posts` posts by `author` one after another (15 s each at most;
 * with `settle`, each post's fan-out jobs are also done before the next, then `gapMs` more).
 */
async function liveRun({ url, log, createPost, waitJobsDone }, world, count, author, posts, { settle = false, gapMs = 0 } = {}) {
  const tokens = Array.from({ length: count }, (_, i) => world.sessions[`c${i}`]);
  const arrivals = new Map(); // postId -> [time]
  const onMessage = (msg, at) => {
    if (msg?.type !== "new_post") return;
    const id = msg.payload?.post?.id;
    if (!arrivals.has(id)) arrivals.set(id, []);
    arrivals.get(id).push(at);
  };
  const t = performance.now();
  const { sockets, failed } = await openMany(url, tokens, { concurrency: 16, onMessage });
  log(`  ${sockets.length} sockets open in ${((performance.now() - t) / 1000).toFixed(1)} s (${failed} failed)`);
  await sleep(2000);
  const samples = [];
  let missing = 0;
  for (let n = 0; n < posts; n++) {
    const { post, at } = await createPost(world.sessions[author], `live ${count} #${n} ${Date.now()}`);
    const deadline = performance.now() + 15_000;
    while (performance.now() < deadline && (arrivals.get(post.id)?.length ?? 0) < sockets.length) await sleep(10);
    const got = arrivals.get(post.id) ?? [];
    missing += sockets.length - got.length;
    const own = got.map((time) => time - at);
    samples.push(...own);
    const s = summarize(own, 1);
    log(`    post ${n + 1}: ${got.length}/${sockets.length} arrived, p50 ${s.p50?.toFixed(0)} ms, p99 ${s.p99?.toFixed(0)} ms, last ${Math.max(...own).toFixed(0)} ms`);
    if (settle) await waitJobsDone(world.ids[author], 60_000);
    if (gapMs && n < posts - 1) await sleep(gapMs);
    await sleep(500);
  }
  const errors = sockets.reduce((n, s) => n + s.errors.length, 0);
  return { sockets, failed, missing, errors, summary: summarize(samples, 1) };
}

export async function measureLive(ctx, world) {
  const { log } = ctx;
  log("live delivery: 100 sockets (followers of p100), 5 posts");
  await sleep(3000);
  const l100 = await liveRun(ctx, world, 100, "p100", 5);
  closeAll(l100.sockets);
  const out = { wsDelivery100P50Ms: round(l100.summary.p50, 1), wsDelivery100P99Ms: round(l100.summary.p99, 1), wsDelivery100Missing: l100.missing };
  log(`  100 sockets: p50 ${l100.summary.p50.toFixed(1)} p99 ${l100.summary.p99.toFixed(1)} ms, ${l100.missing} missing`);
  await sleep(2000);
  log("live delivery: 1,000 sockets (followers of p1000), 3 posts");
  const l1000 = await liveRun(ctx, world, 1000, "p1000", 3);
  Object.assign(out, {
    wsSockets: l1000.sockets.length,
    wsDeliveryP50Ms: round(l1000.summary.p50, 1),
    wsDeliveryP99Ms: round(l1000.summary.p99, 1),
    wsDeliveryMissing: l1000.missing,
    wsConnectFailures: l1000.failed,
  });
  log(`  1,000 sockets: p50 ${l1000.summary.p50.toFixed(1)} p99 ${l1000.summary.p99.toFixed(1)} ms, ${l1000.missing} missing`);
  closeAll(l1000.sockets);
  await sleep(1000);
  return out;
}

/**
 * Phase "mixed" (issue 14 item 6): an author of 1,000 active followers (p1000) of whom 100 (c0…c99)
 * have a socket open on their home feed, the other 900 objects evicted before each of 3 posts (an
 * idle wait first and between posts, each fan-out finished before the wait). Live latency of the
 * 100: online followers should not wait behind offline ones.
 */
export async function measureMixed(ctx, world) {
  const { cfg, log } = ctx;
  log(`mixed: 100 of p1000's 1,000 followers online; waiting ${cfg.evictWaitMs / 1000} s for the other objects to be evicted`);
  await sleep(cfg.evictWaitMs);
  const run = await liveRun(ctx, world, 100, "p1000", 3, { settle: true, gapMs: cfg.evictWaitMs });
  closeAll(run.sockets);
  log(`  100 online of 1,000: p50 ${run.summary.p50.toFixed(1)} p99 ${run.summary.p99.toFixed(1)} ms, ${run.missing} missing`);
  await sleep(1000);
  return { wsDeliveryMixedP50Ms: round(run.summary.p50, 1), wsDeliveryMixedP99Ms: round(run.summary.p99, 1), wsDeliveryMixedMissing: run.missing };
}
