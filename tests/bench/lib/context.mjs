/**
 * What every bench phase shares: the server's API under test, the admin header for the bench-only
 * endpoints (worker/routes/bench.ts), the server's structured log lines, and a few calls more than
 * one phase makes (create a post, wait for its fan-out, the no-op RPC loop).
 */
import { randomUUID } from "node:crypto";
import { json, sleep } from "./load.mjs";

export const cookie = (token) => ({ cookie: `ef_session=${token}` });
export const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);
/** "Ranked" / "Latest": the key fragment of a feed mode in results.json. */
export const modeKey = (mode) => (mode === "ranked" ? "Ranked" : "Latest");

/**
 * `url`: the running server; `adminToken`: its ADMIN_TOKEN; `serverLogs`: the array the server's
 * structured lines (other than "request") are pushed to, with `at` (performance.now()).
 */
export function createContext({ url, adminToken, serverLogs, cfg, log }) {
  const admin = { authorization: `Bearer ${adminToken}` };
  const api = (path) => `${url}/api/v1${path}`;

  async function createPost(token, content, extra = {}) {
    const res = await json(api("/posts"), { method: "POST", headers: { ...cookie(token), "x-idempotency-key": randomUUID() }, body: { content, ...extra } });
    if (res.status !== 201) throw new Error(`post failed: ${res.status} ${res.body.slice(0, 300)}`);
    return { post: res.json.data.post, ms: res.ms, at: performance.now() };
  }

  /** Polls the author's UserFeed until its fan-out jobs are done; resolves when, or null on timeout. */
  async function waitJobsDone(userId, timeoutMs = 60_000) {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const res = await json(api(`/bench/users/${userId}`), { headers: admin });
      if (res.status === 200 && res.json.data.jobs === 0) return performance.now();
      await sleep(15);
    }
    return null;
  }

  const batchesFor = (postId) => serverLogs.filter((l) => l.msg === "fanout batch" && l.postId === postId);

  /**
   * A bare loop of RPCs from `author`'s object to its followers' UserFeeds at the server's
   * DELIVERY_CONCURRENCY (what a fan-out uses): `call` "noop" (the RPC ceiling) or "benchWrite"
   * (each commits one row: the write floor). Resolves calls/s.
   */
  async function rpcLoop(world, label, author = "p5000", limit = 5000, call = "noop") {
    const res = await json(api("/bench/rpc-loop"), { method: "POST", headers: admin, timeoutMs: 300_000, body: { from: world.ids[author], followersOf: world.ids[author], limit, call } });
    if (res.status !== 200) throw new Error(`rpc-loop: ${res.status} ${res.body.slice(0, 300)}`);
    const { calls, ms, workerMs } = res.json.data;
    const perSecond = calls / (Math.max(ms, 1) / 1000);
    log(`  ${label}: ${calls} ${call === "noop" ? "no-op" : "one-row-write"} RPCs in ${ms} ms (object clock; ${workerMs} ms at the worker) = ${perSecond.toFixed(0)}/s`);
    return perSecond;
  }

  /** One post by `author`, timed from the POST's response to its fan-out jobs done. */
  async function fanout(world, author, expected, label) {
    const token = world.sessions[author];
    const authorId = world.ids[author];
    const { post, at } = await createPost(token, `fan-out ${label} ${Date.now()}`);
    const done = await waitJobsDone(authorId, 120_000);
    const batches = batchesFor(post.id);
    const recipients = batches.reduce((n, b) => n + (b.recipients ?? 0), 0);
    const delivered = batches.reduce((n, b) => n + (b.delivered ?? 0), 0);
    const serverMs = batches.reduce((n, b) => n + (b.durationMs ?? 0), 0);
    const ms = done === null ? null : done - at;
    log(`  ${label}: ${recipients} recipients (${expected} expected), ${delivered} new, ${batches.length} batches, ${ms === null ? "TIMEOUT" : ms.toFixed(0) + " ms"} from the POST's response to jobs done (batches ${serverMs} ms)`);
    const failed = serverLogs.filter((l) => l.msg === "fan-out batch failed").length;
    log(`    batch ms: ${batches.map((b) => b.durationMs).join(" ")}${failed ? `; failed batches so far: ${failed}` : ""}`);
    return { post, ms, recipients, delivered, batches: batches.length, serverMs };
  }

  return { url, cfg, log, admin, api, serverLogs, createPost, waitJobsDone, batchesFor, rpcLoop, fanout };
}
