/**
 * Phase "roundtrips" (issue 14 item 4): for every request a user makes, the sequential round trips
 * on its critical path to the user's own UserFeed, to other objects, to the D1 primary and to a D1
 * replica, traced inside the server (core/round-trips.ts; the server runs with BENCH_TRACE=1) and
 * nested by tests/bench/lib/critical-path.mjs. One reader (a warmed one), one request at a time,
 * each kind three times: the last run is reported (steady state: the first may include the hourly
 * activity write), the client's median time is the local cost the region model (regions.mjs) adds
 * its round-trip times to. D1's class is the one the code asks for: locally there is one copy.
 */
import { randomUUID } from "node:crypto";
import { json, request, sleep } from "../lib/load.mjs";
import { openSocket } from "../lib/sockets.mjs";
import { cookie, round } from "../lib/context.mjs";
import { CLASSES, criticalPath, describePath } from "../lib/critical-path.mjs";

const RUNS = 3;
const KEY = { userObject: "UserObject", otherObjects: "OtherObjects", d1Primary: "D1Primary", d1Replica: "D1Replica" };
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function measureRoundTrips({ url, api, admin, log }, world) {
  const reader = world.readers[0];
  const userId = world.ids[reader];
  const token = world.sessions[reader];
  const drain = async () => {
    const res = await json(api("/bench/round-trips"), { headers: admin });
    if (res.status !== 200) throw new Error(`round-trips: ${res.status} ${res.body.slice(0, 200)} (is BENCH_TRACE=1 set?)`);
    return res.json.data;
  };
  /** `send(traceHeaders)` makes the request; resolves its critical path and the client's time. */
  const traced = async (send) => {
    await drain();
    const trace = randomUUID();
    const started = performance.now();
    const answer = await send({ "x-bench-trace": trace });
    const ms = performance.now() - started;
    await sleep(150); // the response's own waitUntil work lands after it; it is reported apart
    const { roundTrips, dropped } = await drain();
    if (dropped) log(`    (${dropped} round trips dropped by the server's buffer cap)`);
    return { ...criticalPath(roundTrips, trace, userId), clientMs: ms, answer };
  };
  const http = (path, init = {}) => (headers) => json(`${url}${path}`, { ...init, headers: { ...cookie(token), ...init.headers, ...headers } });
  const expectStatus = (res, status, what) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.body?.slice(0, 200)}`);
    return res;
  };

  log(`round trips per request (reader ${reader}, one request at a time, ${RUNS} runs each, the last reported)`);
  const first = expectStatus(await json(api("/feed?mode=ranked&limit=20"), { headers: cookie(token) }), 200, "feed");
  const target = first.json.data.posts.find((p) => p.author?.id !== userId) ?? first.json.data.posts[0];
  if (!target) throw new Error("round trips: the reader's feed is empty (run the warm phase, or seed)");
  const { nextCursor, newestCursor } = first.json.data.pagination;
  const followee = "hsmall0";

  /** name → [make the request, undo it untraced (so the next run does the same work)] */
  const requests = [
    ["HomePage", http("/"), null],
    ["FeedRanked", http("/api/v1/feed?mode=ranked&limit=20"), null],
    ["FeedLatest", http("/api/v1/feed?mode=latest&limit=20"), null],
    ["FeedNext", http(`/api/v1/feed?mode=ranked&limit=20&cursor=${encodeURIComponent(nextCursor ?? "")}`), null],
    ["FeedUpdates", http(`/api/v1/feed/updates?since=${encodeURIComponent(newestCursor ?? "")}`), null],
    ["Post", (h) => http("/api/v1/posts", { method: "POST", headers: { "x-idempotency-key": randomUUID() }, body: { content: `round trips ${Date.now()}` } })(h), null],
    ["Like", http(`/api/v1/posts/${target.id}/like`, { method: "POST" }), () => request(api(`/posts/${target.id}/like`), { method: "DELETE", headers: cookie(token) })],
    ["Comment", (h) => http(`/api/v1/posts/${target.id}/comments`, { method: "POST", headers: { "x-idempotency-key": randomUUID() }, body: { content: `round trips ${Date.now()}` } })(h), null],
    ["Follow", http(`/api/v1/users/${followee}/follow`, { method: "POST" }), () => request(api(`/users/${followee}/follow`), { method: "DELETE", headers: cookie(token) })],
    ["ProfilePage", http(`/profile/${followee}`), null],
    ["ProfileApi", http(`/api/v1/users/${followee}`), null],
    [
      "SocketConnect",
      async (headers) => {
        const socket = await openSocket(url, token, { headers });
        socket.ws.close(1000, "done");
        return { status: 101 };
      },
      null,
    ],
  ];
  if (!nextCursor) log("    (no next page for this reader: FeedNext reads an empty cursor)");

  const out = {};
  for (const [name, send, undo] of requests) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await traced(send));
      if (undo) await undo();
    }
    const last = runs[runs.length - 1];
    const status = last.answer?.status;
    if (!(status >= 101 && status < 400)) throw new Error(`round trips: ${name} answered ${status}: ${last.answer?.body?.slice(0, 300)}`);
    for (const k of CLASSES) out[`rt${name}${KEY[k]}`] = last.counts[k];
    out[`rt${name}LocalMs`] = round(median(runs.map((r) => r.clientMs)), 1);
    const all = runs.map((r) => CLASSES.map((k) => r.counts[k]).join("/")).join(", ");
    log(`  ${name.padEnd(13)} ${status} own/other/primary/replica ${CLASSES.map((k) => last.counts[k]).join("/")} (runs: ${all}); ${last.attributed.length} calls in all, ${last.background.length} after the response; ${out[`rt${name}LocalMs`]} ms`);
    log(`    path: ${describePath(last.path, userId) || "(none)"}`);
  }
  out.d1RoundTripsPost = out.rtPostD1Primary + out.rtPostD1Replica;
  out.d1RoundTripsLike = out.rtLikeD1Primary + out.rtLikeD1Replica;
  return out;
}
