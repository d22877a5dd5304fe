/**
 * Builds users' timelines through the worker: POST /api/v1/admin/timelines/rebuild, which calls
 * each user's UserFeed.rebuildTimeline() (the same code a returning user's first read runs).
 *
 * Local workerd can hold about 6,000 live objects (3 file descriptors each, 20,000 max; see
 * PLATFORM-NOTES) and evicts idle ones after ~10 s. So this never lets more than `maxLive`
 * objects be touched within any `idleWindowMs` window (default 2,500 in 15 s), on top of
 * bounded concurrency (`concurrency` requests of `batchSize` users, 8 rebuilds in flight each).
 */
import { progress } from "./ui.mjs";

export async function adminFetch(url, token, path, init = {}) {
  const res = await fetch(`${url}/api/v1/admin${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = { success: false, error: { code: "NOT_JSON", message: text.slice(0, 200) } };
  }
  return { status: res.status, body };
}

export async function buildTimelines({ url, token, userIds, batchSize = 50, concurrency = 4, maxLive = 2500, idleWindowMs = 15_000, label = "timelines" }) {
  const bar = progress(label, userIds.length);
  const batches = [];
  for (let i = 0; i < userIds.length; i += batchSize) batches.push(userIds.slice(i, i + batchSize));
  /** (time, objects) of batches started, for the live-object window. */
  const touched = [];
  let next = 0;
  let done = 0;
  let entries = 0;
  let failed = 0;
  let peakWindow = 0;
  const liveInWindow = () => {
    const since = Date.now() - idleWindowMs;
    while (touched.length && touched[0].at < since) touched.shift();
    return touched.reduce((sum, t) => sum + t.n, 0);
  };
  async function worker() {
    while (next < batches.length) {
      const batch = batches[next++];
      while (liveInWindow() + batch.length > maxLive) await new Promise((r) => setTimeout(r, 200));
      touched.push({ at: Date.now(), n: batch.length });
      peakWindow = Math.max(peakWindow, liveInWindow());
      // wrangler dev restarts the worker when a source file changes ("Your worker restarted
      // mid-request", 503): rebuilds are idempotent, so retry patiently; a batch that still fails
      // is counted as failed (those users' timelines are rebuilt on their first read anyway).
      for (let attempt = 1; ; attempt++) {
        const res = await adminFetch(url, token, "/timelines/rebuild", { method: "POST", body: JSON.stringify({ userIds: batch }) }).catch((e) => ({ status: 0, body: { error: { message: String(e) } } }));
        if (res.status === 200) {
          entries += res.body.data.entries;
          failed += res.body.data.failed.length;
          break;
        }
        if (res.status === 401 || res.status === 403 || res.status === 404) throw new Error(`timeline rebuild refused: ${res.status} ${JSON.stringify(res.body.error ?? res.body)}`);
        if (attempt >= 20) {
          failed += batch.length;
          console.warn(`\n  a batch of ${batch.length} timelines failed (${res.status} ${JSON.stringify(res.body.error ?? res.body).slice(0, 200)}); they rebuild on first read`);
          break;
        }
        await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt)));
      }
      done += batch.length;
      bar.update(done, `(${entries.toLocaleString("en-US")} entries)`);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  const ms = bar.done(`(${entries.toLocaleString("en-US")} entries)`);
  return { users: userIds.length, entries, failed, ms, peakWindow };
}
