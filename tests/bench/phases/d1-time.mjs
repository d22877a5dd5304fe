/**
 * Phase "d1time": D1's own time for a feed page's one statement (`meta.duration`, as D1 reports
 * it), ranked and latest first pages, mean and median of READS reads each (locally D1 reports whole
 * milliseconds, so the mean is the key's value), through /bench/feed-d1 (the
 * reader's UserFeed with its D1 binding timed: durable-objects/user-feed/bench-timing.ts).
 *
 * Two readers: a typical one (~10 follows) and the fixture following 2,000 (its window spans many
 * authors, so counting affinity per author in D1 cost the most there). Each is given a history first, so the affinity the ranked page uses has something to count:
 * likes on up to LIKES posts of their feed and COMMENTS comments (fixed idempotency keys: a second
 * run on the same world replays them instead of adding more, so runs compare).
 */
import { json } from "../lib/load.mjs";
import { cookie, round } from "../lib/context.mjs";

const READS = 200;
const LIKES = 300;
const COMMENTS = 40;

async function feedIds(api, token, max) {
  const ids = [];
  let cursor = null;
  while (ids.length < max) {
    const qs = new URLSearchParams({ mode: "latest", limit: "50", ...(cursor ? { cursor } : {}) });
    const res = await json(api(`/feed?${qs}`), { headers: cookie(token) });
    if (res.status !== 200) break;
    ids.push(...res.json.data.posts.map((p) => p.id));
    cursor = res.json.data.pagination.nextCursor;
    if (!cursor) break;
  }
  return ids.slice(0, max);
}

/** Gives `reader` its history, then times its first pages; keys end with `suffix`. */
async function timeReader({ api, admin, log }, world, reader, suffix) {
  const token = world.sessions[reader];
  const userId = world.ids[reader];
  const ids = await feedIds(api, token, LIKES);
  log(`d1 time: reader ${reader} likes ${ids.length} feed posts and comments on ${Math.min(COMMENTS, ids.length)}`);
  for (let i = 0; i < ids.length; i += 4) {
    await Promise.all(ids.slice(i, i + 4).map((id) => json(api(`/posts/${id}/like`), { method: "POST", headers: cookie(token) })));
  }
  for (let i = 0; i < Math.min(COMMENTS, ids.length); i++) {
    const headers = { ...cookie(token), "x-idempotency-key": `d1time-${reader}-${i}` };
    await json(api(`/posts/${ids[i]}/comments`), { method: "POST", headers, body: { content: `bench comment ${i}` } });
  }
  const out = {};
  for (const mode of ["ranked", "latest"]) {
    await json(api(`/bench/feed-d1?userId=${userId}&mode=${mode}&n=3`), { headers: admin }); // warm
    const res = await json(api(`/bench/feed-d1?userId=${userId}&mode=${mode}&n=${READS}`), { headers: admin });
    const data = res.json?.data ?? {};
    // Locally D1 reports whole milliseconds, so the median is coarse: the mean is the key's value.
    out[`${mode}PageD1Ms${suffix}`] = round(data.durationMsMean, 3);
    log(`  ${mode} first page: D1 meta.duration mean ${data.durationMsMean} ms, median ${data.durationMsMedian} ms, sql_duration_ms median ${data.sqlMsMedian} (${data.pageStatements} statements / ${data.reads} reads)`);
  }
  return out;
}

/** A typical reader (~10 follows), and the fixture who follows 2,000 (a window of many authors). */
export async function measureD1Time(ctx, world) {
  return { ...(await timeReader(ctx, world, world.readers[1], "")), ...(await timeReader(ctx, world, "vf2000", "Follows2000")) };
}
