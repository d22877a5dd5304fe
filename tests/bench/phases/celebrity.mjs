/**
 * Phase "celebrity" (on a server restarted with CELEBRITY_THRESHOLD=1000): the write cost of a
 * post by celeb1k vs celeb100k, 20 followers online on both; 5 posts each, medians.
 */
import { sleep } from "../lib/load.mjs";
import { closeAll, openMany } from "../lib/sockets.mjs";
import { round } from "../lib/context.mjs";

export async function measureCelebrities({ url, log, createPost, waitJobsDone, batchesFor, serverLogs }, world) {
  log("celebrity write cost (server restarted with CELEBRITY_THRESHOLD=1000): celeb1k vs celeb100k, 20 followers online on both");
  const tokens = Array.from({ length: 20 }, (_, i) => world.sessions[`c${i}`]);
  const { sockets } = await openMany(url, tokens, { concurrency: 8 });
  await sleep(3000); // leases are taken after connect (waitUntil)
  const one = async (name) => {
    const runs = [];
    for (let n = 0; n < 5; n++) {
      const { post, ms, at } = await createPost(world.sessions[name], `celebrity ${name} #${n} ${Date.now()}`);
      const done = await waitJobsDone(world.ids[name], 30_000);
      await sleep(200);
      const batches = batchesFor(post.id);
      const push = serverLogs.find((l) => l.msg === "celebrity push" && l.postId === post.id);
      runs.push({ postMs: ms, doneMs: done - at, kind: batches[0]?.kind, writes: batches.reduce((s, b) => s + (b.delivered ?? 0), 0), pushed: push?.pushed ?? 0, leaseholders: push?.leaseholders ?? 0 });
    }
    const med = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    return { postMs: med("postMs"), doneMs: med("doneMs"), kind: runs[0].kind, writes: med("writes"), pushed: med("pushed"), leaseholders: med("leaseholders") };
  };
  const small = await one("celeb1k");
  const big = await one("celeb100k");
  closeAll(sockets);
  log(`  celeb1k: job ${small.kind}, ${small.writes} outbox write, ${small.pushed}/${small.leaseholders} live pushes, POST ${small.postMs.toFixed(1)} ms, done ${small.doneMs.toFixed(0)} ms`);
  log(`  celeb100k: job ${big.kind}, ${big.writes} outbox write, ${big.pushed}/${big.leaseholders} live pushes, POST ${big.postMs.toFixed(1)} ms, done ${big.doneMs.toFixed(0)} ms`);
  return {
    celebrity1kPostMs: round(small.postMs, 1),
    celebrity1kDoneMs: round(small.doneMs, 1),
    celebrity1kOutboxWrites: small.writes,
    celebrity1kLivePushes: small.pushed,
    celebrity100kPostMs: round(big.postMs, 1),
    celebrity100kDoneMs: round(big.doneMs, 1),
    celebrity100kOutboxWrites: big.writes,
    celebrity100kLivePushes: big.pushed,
    celebrityCostRatio: round(big.doneMs / small.doneMs, 2),
  };
}
