#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [--users N --avg-follows F --posts P --celebrities C]`
 *
 * Seeds a world into its own local D1 (.wrangler/bench), starts the real server (`wrangler dev`,
 * port 8790), and measures in one run: the ceiling (a trivial worker response), feed reads at 32
 * clients and at 1, the RPC ceiling, push fan-out, the cost of dormant followers, celebrity write
 * cost at 1,000 vs 100,000 followers, live delivery on 100 and 1,000 sockets, scaling across history
 * and follow counts, and the cost of a feed read. Prints a table, writes tests/bench/results.json
 * (numbers only) and tests/bench/results.svg.
 *
 * Every loop is bounded in count and time; the server is stopped on every exit path.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { randomBytes, randomUUID } from "node:crypto";
import { ROOT, d1, migrate, sessionKey, snapshotSource, startServer } from "./lib/server.mjs";
import { buildWorld } from "./lib/world.mjs";
import { closedLoop, json, percentile, request, sleep, summarize } from "./lib/load.mjs";
import { closeAll, openMany } from "./lib/sockets.mjs";
import { drawSvg } from "./lib/svg.mjs";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    users: { type: "string" },
    "avg-follows": { type: "string" },
    posts: { type: "string" },
    celebrities: { type: "string" },
    port: { type: "string", default: "8790" },
    persist: { type: "string", default: join(ROOT, ".wrangler/bench") },
    "skip-seed": { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const quick = args.quick;
const cfg = {
  users: Number(args.users ?? (quick ? 3000 : 20_000)),
  avgFollows: Number(args["avg-follows"] ?? (quick ? 10 : 20)),
  posts: Number(args.posts ?? (quick ? 10_000 : 100_000)),
  stars: Number(args.celebrities ?? (quick ? 3 : 5)),
  threshold: 6000,
  loadMs: quick ? 5000 : 15_000,
  singleRequests: quick ? 200 : 1000,
  scalingRequests: quick ? 80 : 400,
  readers: quick ? 150 : 400,
  evictWaitMs: 12_000,
};
const PORT = Number(args.port);
const PERSIST = args.persist;
const WORLD_FILE = join(PERSIST, "bench-world.json");
const ADMIN_TOKEN = randomBytes(18).toString("base64url");
const started = Date.now();
/** The sources as they were when the bench started (wrangler dev would reload on others' saves). */
const SOURCE = snapshotSource(`bench-${PORT}`);
const log = (...m) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s]`, ...m);
const results = {};
const notes = {};
const serverLogs = [];
let server = null;

process.on("SIGINT", async () => {
  await server?.stop();
  process.exit(130);
});

const cookie = (token) => ({ cookie: `ef_session=${token}` });
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

async function seed() {
  log(`seeding: ${cfg.users} users, ~${cfg.avgFollows} follows each, ${cfg.posts} posts, ${cfg.stars} celebrities + fixtures (100,000-account crowd)`);
  rmSync(PERSIST, { recursive: true, force: true });
  mkdirSync(PERSIST, { recursive: true });
  await migrate(PERSIST);
  const t = Date.now();
  const world = buildWorld({ dir: join(PERSIST, "sql"), sessionKey: await sessionKey(PERSIST), users: cfg.users, avgFollows: cfg.avgFollows, posts: cfg.posts, stars: cfg.stars, threshold: cfg.threshold });
  log(`  ${world.rows} rows in ${world.files.length} files, generated in ${Date.now() - t} ms`);
  for (const file of world.files) await d1(PERSIST, file, { file: true });
  rmSync(join(PERSIST, "sql"), { recursive: true, force: true });
  const keep = ["p100", "p1000", "p5000", "pinactive", "celeb1k", "celeb100k", "vh100k", "vh100", "vf10", "vf2000", "star0", ...Array.from({ length: 1000 }, (_, i) => `c${i}`), ...world.readers];
  const saved = { cfg, ids: Object.fromEntries(keep.map((k) => [k, world.ids[k]])), sessions: world.sessions, readers: world.readers };
  writeFileSync(WORLD_FILE, JSON.stringify(saved));
  log(`  seeded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  results.seedSeconds = round((Date.now() - t) / 1000);
  return saved;
}

async function start(vars) {
  server = await startServer({
    port: PORT,
    cwd: SOURCE,
    persistTo: PERSIST,
    vars: { POST_RATE_LIMIT_PER_MINUTE: "100000", ADMIN_TOKEN, ...vars },
    onLine(line) {
      const i = line.indexOf("{");
      if (i < 0 || !line.includes('"msg"')) return;
      try {
        const entry = JSON.parse(line.slice(i));
        if (entry.msg !== "request") serverLogs.push({ ...entry, at: performance.now() });
      } catch {}
    },
  });
  return server;
}

const api = (path) => `${server.url}/api/v1${path}`;

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

async function measureCeiling() {
  log("ceiling: GET /api/v1/health (no I/O) at 32 clients and 1");
  const c32 = await closedLoop({ concurrency: 32, durationMs: cfg.loadMs, makeRequest: () => [api("/health")] });
  const c1 = await closedLoop({ concurrency: 1, durationMs: 60_000, warmupMs: 200, maxRequests: cfg.singleRequests, makeRequest: () => [api("/health")] });
  Object.assign(results, { ceilingRps: round(c32.rps), ceilingP50Ms: round(c32.p50, 2), ceilingP99Ms: round(c32.p99, 2), ceilingSingleP50Ms: round(c1.p50, 2), ceilingSingleP99Ms: round(c1.p99, 2), ceilingErrors: c32.errors });
  log(`  32 clients: ${c32.rps.toFixed(0)} rps p50 ${c32.p50.toFixed(1)} p99 ${c32.p99.toFixed(1)} ms; 1 client: p50 ${c1.p50.toFixed(2)} p99 ${c1.p99.toFixed(2)} ms`);
}

async function warmReaders(world) {
  world.readers = world.readers.slice(0, cfg.readers);
  const tokens = [...world.readers, "vh100k", "vh100", "vf10", "vf2000"].map((r) => world.sessions[r]);
  log(`warming ${tokens.length} readers (first read rebuilds each timeline through the real code path)`);
  const t = performance.now();
  let i = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (i < tokens.length) {
        const token = tokens[i++];
        const res = await request(api("/feed?mode=latest"), { headers: cookie(token) }).catch(() => ({ status: 0 }));
        if (res.status !== 200) failures++;
      }
    }),
  );
  log(`  warmed in ${((performance.now() - t) / 1000).toFixed(1)} s, ${failures} failures`);
  results.warmupFailures = failures;
}

async function measureFeeds(world) {
  const tokens = world.readers.map((r) => world.sessions[r]);
  const pickToken = () => tokens[Math.floor(Math.random() * tokens.length)];
  for (const mode of ["ranked", "latest"]) {
    log(`feed ${mode}: 32 clients, random users`);
    const r32 = await closedLoop({ concurrency: 32, durationMs: cfg.loadMs, makeRequest: () => [api(`/feed?mode=${mode}&limit=20`), { headers: cookie(pickToken()) }] });
    const r1 = await closedLoop({ concurrency: 1, durationMs: 60_000, warmupMs: 200, maxRequests: cfg.singleRequests, makeRequest: () => [api(`/feed?mode=${mode}&limit=20`), { headers: cookie(pickToken()) }] });
    const key = mode === "ranked" ? "Ranked" : "Latest";
    Object.assign(results, {
      [`feed${key}Rps`]: round(r32.rps),
      [`feed${key}P50Ms`]: round(r32.p50, 2),
      [`feed${key}P99Ms`]: round(r32.p99, 2),
      [`feed${key}Errors`]: r32.errors + r1.errors,
      [`feed${key}SingleP50Ms`]: round(r1.p50, 2),
      [`feed${key}SingleP99Ms`]: round(r1.p99, 2),
    });
    log(`  32 clients: ${r32.rps.toFixed(0)} rps p50 ${r32.p50.toFixed(1)} p99 ${r32.p99.toFixed(1)} ms (errors ${r32.errors}); 1 client: p50 ${r1.p50.toFixed(2)} p99 ${r1.p99.toFixed(2)} ms`);
  }
  // The headline keys: the default mode (ranked) is what a client gets without asking.
  results.feedRps = results.feedRankedRps;
  results.feedReadP99Ms = results.feedRankedP99Ms;
  results.feedReadRatio = round(results.feedRankedRps / results.ceilingRps, 3);
  results.feedLatestReadRatio = round(results.feedLatestRps / results.ceilingRps, 3);
  results.feedP50Ratio = round(results.feedRankedSingleP50Ms / results.ceilingSingleP50Ms, 2);
  results.feedLatestP50Ratio = round(results.feedLatestSingleP50Ms / results.ceilingSingleP50Ms, 2);
}

async function measureCost(world) {
  log("cost per feed read (worker side counted live; object side asserted by tests/worker/hardening-cost.test.ts)");
  for (const mode of ["ranked", "latest"]) {
    const res = await json(api(`/bench/feed-cost?mode=${mode}`), { headers: { ...admin, "x-bench-cookie": `ef_session=${world.sessions[world.readers[0]]}` } });
    const w = res.json?.data?.worker ?? {};
    const key = mode === "ranked" ? "Ranked" : "Latest";
    // Inside the viewer's UserFeed (feed-reader.ts, counted in hardening-cost.test.ts): one D1
    // statement in either mode (ranked: candidates, ranking and the page's hydration together).
    const objectD1Calls = 1;
    const objectD1Statements = 1;
    Object.assign(results, {
      [`cost${key}ObjectCalls`]: w.objectCalls,
      [`cost${key}WorkerD1Calls`]: w.d1Calls,
      [`cost${key}D1Calls`]: (w.d1Calls ?? 0) + objectD1Calls,
      [`cost${key}D1Statements`]: (w.d1Statements ?? 0) + objectD1Statements,
    });
    log(`  ${mode}: ${w.objectCalls} object call(s); D1 round trips: worker ${w.d1Calls} + object ${objectD1Calls} = ${(w.d1Calls ?? 0) + objectD1Calls}; statements ${(w.d1Statements ?? 0) + objectD1Statements}`);
  }
}

async function measureScaling(world) {
  log("scaling: one client, 100 vs 100,000 posts of history, 10 vs 2,000 follows");
  const p50Of = async (name, mode) => {
    const r = await closedLoop({ concurrency: 1, durationMs: 60_000, warmupMs: 100, maxRequests: cfg.scalingRequests, makeRequest: () => [api(`/feed?mode=${mode}&limit=20`), { headers: cookie(world.sessions[name]) }] });
    return r;
  };
  for (const mode of ["ranked", "latest"]) {
    const key = mode === "ranked" ? "Ranked" : "Latest";
    const h100 = await p50Of("vh100", mode);
    const h100k = await p50Of("vh100k", mode);
    const f10 = await p50Of("vf10", mode);
    const f2000 = await p50Of("vf2000", mode);
    Object.assign(results, {
      [`scaling${key}History100P50Ms`]: round(h100.p50, 2),
      [`scaling${key}History100kP50Ms`]: round(h100k.p50, 2),
      [`scaling${key}HistoryRatio`]: round(h100k.p50 / h100.p50, 2),
      [`scaling${key}Follows10P50Ms`]: round(f10.p50, 2),
      [`scaling${key}Follows2000P50Ms`]: round(f2000.p50, 2),
      [`scaling${key}FollowsRatio`]: round(f2000.p50 / f10.p50, 2),
    });
    log(`  ${mode}: history 100 ${h100.p50.toFixed(2)} vs 100k ${h100k.p50.toFixed(2)} ms (×${(h100k.p50 / h100.p50).toFixed(2)}); follows 10 ${f10.p50.toFixed(2)} vs 2000 ${f2000.p50.toFixed(2)} ms (×${(f2000.p50 / f10.p50).toFixed(2)})`);
  }
}

async function rpcLoop(world, label, author = "p5000", limit = 5000) {
  const res = await json(api("/bench/rpc-loop"), { method: "POST", headers: admin, timeoutMs: 300_000, body: { from: world.ids[author], followersOf: world.ids[author], concurrency: 32, limit } });
  if (res.status !== 200) throw new Error(`rpc-loop: ${res.status} ${res.body.slice(0, 300)}`);
  const { calls, ms, workerMs } = res.json.data;
  const perSecond = calls / (Math.max(ms, 1) / 1000);
  log(`  ${label}: ${calls} no-op RPCs in ${ms} ms (object clock; ${workerMs} ms at the worker) = ${perSecond.toFixed(0)}/s`);
  return perSecond;
}

async function measureRpcCeiling(world) {
  log("RPC ceiling: no-op RPCs from one object to the 5,000 followers' UserFeeds, 32 in flight (as fan-out)");
  results.rpcCeilingColdPerSecond = round(await rpcLoop(world, "first touch (objects created)"));
  log(`  waiting ${cfg.evictWaitMs / 1000} s for idle objects to be evicted`);
  await sleep(cfg.evictWaitMs);
  results.rpcCeilingPerSecond = round(await rpcLoop(world, "evicted objects re-opened (the fan-out's case)"));
  results.rpcCeilingWarmPerSecond = round(await rpcLoop(world, "warm objects"));
}

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

async function measureFanout(world) {
  log("push fan-out");
  await sleep(cfg.evictWaitMs);
  const f1 = await fanout(world, "p1000", 1000, "1,000 active followers");
  await sleep(cfg.evictWaitMs);
  const f5 = await fanout(world, "p5000", 5000, "5,000 active followers");
  results.fanout1000Ms = round(f1.ms, 0);
  results.fanout5000Ms = round(f5.ms, 0);
  results.fanoutPerSecond = round(f5.recipients / (f5.ms / 1000));
  results.fanout1000PerSecond = round(f1.recipients / (f1.ms / 1000));
  results.fanoutRatio = round(results.fanoutPerSecond / results.rpcCeilingPerSecond, 3);
  results.fanout5000Recipients = f5.recipients;
  // Sample followers: the post is in their timelines.
  const sample = world.ids ? Array.from({ length: 10 }, (_, i) => world.ids[`c${i * 97}`]) : [];
  let found = 0;
  for (const id of sample) {
    const res = await json(api(`/bench/users/${id}`), { headers: admin });
    if (res.json?.data?.timelineNewest?.includes(f5.post.id)) found++;
  }
  results.fanoutSampleDelivered = found;
  log(`  sample check: ${found}/${sample.length} followers hold the post`);

  // The same 1,000 followers with their objects live, as for followers using the app right now
  // (locally an idle object is evicted after ~10 s, and re-opening one is serialized on workerd's
  // one thread: that, not the fan-out, is what the cold figures above measure).
  log("push fan-out to warm objects: wake p1000's followers, measure the no-op RPC rate to them, then post at once");
  await rpcLoop(world, "wake (re-open)", "p1000", 1000);
  results.rpcCeilingWarm1000PerSecond = round(await rpcLoop(world, "warm objects", "p1000", 1000));
  const w1 = await fanout(world, "p1000", 1000, "1,000 active followers, objects warm");
  results.fanout1000WarmMs = round(w1.ms, 0);
  results.fanoutWarmPerSecond = round(w1.recipients / (w1.ms / 1000));
  results.fanoutWarmRatio = round(results.fanoutWarmPerSecond / results.rpcCeilingWarm1000PerSecond, 3);

  log("dormant followers: p100 (100 active) vs pinactive (100 active + 5,000 dormant)");
  await sleep(3000);
  const a = await fanout(world, "p100", 100, "100 active");
  const b = await fanout(world, "pinactive", 100, "100 active + 5,000 dormant");
  Object.assign(results, {
    inactiveAuthorRecipients: b.recipients,
    inactiveAuthorBatches: b.batches,
    inactiveAuthorMs: round(b.ms, 0),
    activeOnlyAuthorRecipients: a.recipients,
    activeOnlyAuthorMs: round(a.ms, 0),
    inactiveCostRatio: round(b.ms / a.ms, 2),
  });
}

async function measureLive(world, count, author, posts) {
  const tokens = Array.from({ length: count }, (_, i) => world.sessions[`c${i}`]);
  const arrivals = new Map(); // postId -> [time]
  const onMessage = (msg, at) => {
    if (msg?.type !== "new_post") return;
    const id = msg.payload?.post?.id;
    if (!arrivals.has(id)) arrivals.set(id, []);
    arrivals.get(id).push(at);
  };
  const t = performance.now();
  const { sockets, failed } = await openMany(server.url, tokens, { concurrency: 16, onMessage });
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
    await sleep(500);
  }
  const errors = sockets.reduce((n, s) => n + s.errors.length, 0);
  return { sockets, failed, missing, errors, summary: summarize(samples, 1) };
}

async function measureWebSockets(world) {
  log("live delivery: 100 sockets (followers of p100), 5 posts");
  await sleep(3000);
  const l100 = await measureLive(world, 100, "p100", 5);
  closeAll(l100.sockets);
  Object.assign(results, { wsDelivery100P50Ms: round(l100.summary.p50, 1), wsDelivery100P99Ms: round(l100.summary.p99, 1), wsDelivery100Missing: l100.missing });
  log(`  100 sockets: p50 ${l100.summary.p50.toFixed(1)} p99 ${l100.summary.p99.toFixed(1)} ms, ${l100.missing} missing`);
  await sleep(2000);
  log("live delivery: 1,000 sockets (followers of p1000), 3 posts");
  const l1000 = await measureLive(world, 1000, "p1000", 3);
  Object.assign(results, {
    wsSockets: l1000.sockets.length,
    wsDeliveryP50Ms: round(l1000.summary.p50, 1),
    wsDeliveryP99Ms: round(l1000.summary.p99, 1),
    wsDeliveryMissing: l1000.missing,
    wsConnectFailures: l1000.failed,
  });
  log(`  1,000 sockets: p50 ${l1000.summary.p50.toFixed(1)} p99 ${l1000.summary.p99.toFixed(1)} ms, ${l1000.missing} missing`);
  closeAll(l1000.sockets);
  await sleep(1000);
}

async function measureCelebrities(world) {
  log("celebrity write cost (server restarted with CELEBRITY_THRESHOLD=1000): celeb1k vs celeb100k, 20 followers online on both");
  const tokens = Array.from({ length: 20 }, (_, i) => world.sessions[`c${i}`]);
  const { sockets } = await openMany(server.url, tokens, { concurrency: 8 });
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
  Object.assign(results, {
    celebrity1kPostMs: round(small.postMs, 1),
    celebrity1kDoneMs: round(small.doneMs, 1),
    celebrity1kOutboxWrites: small.writes,
    celebrity1kLivePushes: small.pushed,
    celebrity100kPostMs: round(big.postMs, 1),
    celebrity100kDoneMs: round(big.doneMs, 1),
    celebrity100kOutboxWrites: big.writes,
    celebrity100kLivePushes: big.pushed,
    celebrityCostRatio: round(big.doneMs / small.doneMs, 2),
  });
  notes.celebrityKinds = [small.kind, big.kind];
  log(`  celeb1k: job ${small.kind}, ${small.writes} outbox write, ${small.pushed}/${small.leaseholders} live pushes, POST ${small.postMs.toFixed(1)} ms, done ${small.doneMs.toFixed(0)} ms`);
  log(`  celeb100k: job ${big.kind}, ${big.writes} outbox write, ${big.pushed}/${big.leaseholders} live pushes, POST ${big.postMs.toFixed(1)} ms, done ${big.doneMs.toFixed(0)} ms`);
}

function printTable() {
  const rows = [
    ["ceiling (GET /health) 32 clients", `${results.ceilingRps} rps, p50 ${results.ceilingP50Ms} ms, p99 ${results.ceilingP99Ms} ms`, ""],
    ["ceiling 1 client", `p50 ${results.ceilingSingleP50Ms} ms, p99 ${results.ceilingSingleP99Ms} ms`, ""],
    ["feed ranked 32 clients", `${results.feedRankedRps} rps, p50 ${results.feedRankedP50Ms}, p99 ${results.feedRankedP99Ms} ms`, `ratio ${results.feedReadRatio} (goal ≥ 0.40)`],
    ["feed latest 32 clients", `${results.feedLatestRps} rps, p50 ${results.feedLatestP50Ms}, p99 ${results.feedLatestP99Ms} ms`, `ratio ${results.feedLatestReadRatio} (goal ≥ 0.40)`],
    ["feed ranked 1 client", `p50 ${results.feedRankedSingleP50Ms} ms, p99 ${results.feedRankedSingleP99Ms} ms`, `×${results.feedP50Ratio} of ceiling p50 (goal ≤ 2.5)`],
    ["feed latest 1 client", `p50 ${results.feedLatestSingleP50Ms} ms, p99 ${results.feedLatestSingleP99Ms} ms`, `×${results.feedLatestP50Ratio} of ceiling p50 (goal ≤ 2.5)`],
    ["cost per feed read (ranked)", `${results.costRankedObjectCalls} object call, ${results.costRankedD1Calls} D1 round trips (${results.costRankedD1Statements} statements)`, ""],
    ["cost per feed read (latest)", `${results.costLatestObjectCalls} object call, ${results.costLatestD1Calls} D1 round trips (${results.costLatestD1Statements} statements)`, ""],
    ["RPC ceiling (32 in flight)", `${results.rpcCeilingPerSecond}/s re-opened; cold ${results.rpcCeilingColdPerSecond}/s; warm ${results.rpcCeilingWarmPerSecond}/s`, ""],
    ["push fan-out", `${results.fanoutPerSecond} deliveries/s (5,000)`, `ratio ${results.fanoutRatio} (goal ≥ 0.8)`],
    ["fan-out to 1,000 / 5,000 active", `${results.fanout1000Ms} ms / ${results.fanout5000Ms} ms (objects evicted)`, "goal 1,000 ≤ 1000 ms"],
    ["fan-out to 1,000, objects warm", `${results.fanout1000WarmMs} ms; ${results.fanoutWarmPerSecond}/s vs no-op ${results.rpcCeilingWarm1000PerSecond}/s`, `ratio ${results.fanoutWarmRatio}`],
    ["post with 5,000 dormant followers", `${results.inactiveAuthorRecipients} deliveries, ${results.inactiveAuthorMs} ms vs ${results.activeOnlyAuthorMs} ms with none`, `×${results.inactiveCostRatio}`],
    ["celebrity post 1k / 100k followers", `${results.celebrity1kOutboxWrites}+${results.celebrity1kLivePushes} vs ${results.celebrity100kOutboxWrites}+${results.celebrity100kLivePushes} calls; ${results.celebrity1kDoneMs} / ${results.celebrity100kDoneMs} ms`, `×${results.celebrityCostRatio}`],
    ["live delivery 100 sockets", `p50 ${results.wsDelivery100P50Ms} ms, p99 ${results.wsDelivery100P99Ms} ms, missing ${results.wsDelivery100Missing}`, "goal p99 ≤ 100 ms"],
    ["live delivery 1,000 sockets", `p50 ${results.wsDeliveryP50Ms} ms, p99 ${results.wsDeliveryP99Ms} ms, missing ${results.wsDeliveryMissing}`, "goal p99 ≤ 1000 ms"],
    ["scaling history 100 → 100k (ranked)", `${results.scalingRankedHistory100P50Ms} → ${results.scalingRankedHistory100kP50Ms} ms`, `×${results.scalingRankedHistoryRatio} (goal ≤ 1.2)`],
    ["scaling history 100 → 100k (latest)", `${results.scalingLatestHistory100P50Ms} → ${results.scalingLatestHistory100kP50Ms} ms`, `×${results.scalingLatestHistoryRatio}`],
    ["scaling follows 10 → 2,000 (ranked)", `${results.scalingRankedFollows10P50Ms} → ${results.scalingRankedFollows2000P50Ms} ms`, `×${results.scalingRankedFollowsRatio} (goal ≤ 1.2)`],
    ["scaling follows 10 → 2,000 (latest)", `${results.scalingLatestFollows10P50Ms} → ${results.scalingLatestFollows2000P50Ms} ms`, `×${results.scalingLatestFollowsRatio}`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n${"figure".padEnd(w0)} | ${"measured".padEnd(w1)} | vs goal`);
  console.log(`${"-".repeat(w0)}-+-${"-".repeat(w1)}-+-${"-".repeat(24)}`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c}`);
}

async function main() {
  const world = args["skip-seed"] && existsSync(WORLD_FILE) ? JSON.parse(readFileSync(WORLD_FILE, "utf8")) : await seed();
  const only = args.only ? new Set(args.only.split(",")) : null;
  const want = (phase) => !only || only.has(phase);
  log(`starting wrangler dev on :${PORT} (CELEBRITY_THRESHOLD=${cfg.threshold})`);
  await start({ CELEBRITY_THRESHOLD: String(cfg.threshold) });
  if (want("ceiling")) await measureCeiling();
  if (want("feed") || want("scaling") || want("cost")) await warmReaders(world);
  if (want("feed")) await measureFeeds(world);
  if (want("cost")) await measureCost(world);
  if (want("scaling")) await measureScaling(world);
  if (want("rpc")) await measureRpcCeiling(world);
  if (want("fanout")) await measureFanout(world);
  if (want("ws")) await measureWebSockets(world);
  results.workerdRssMbPhaseA = round(server.workerdRssKb() / 1024, 0);
  await server.stop();
  server = null;
  if (want("celebrity")) {
    log("restarting wrangler dev with CELEBRITY_THRESHOLD=1000 (a 1,000-follower author must be a celebrity)");
    await start({ CELEBRITY_THRESHOLD: "1000" });
    await measureCelebrities(world);
    await server.stop();
    server = null;
  }
  results.totalSeconds = round((Date.now() - started) / 1000, 0);
  results.quick = quick ? 1 : 0;
  results.users = cfg.users;
  results.posts = cfg.posts;
  printTable();
  const numeric = Object.fromEntries(Object.entries(results).filter(([, v]) => typeof v === "number" && Number.isFinite(v)));
  writeFileSync(join(ROOT, "tests/bench/results.json"), `${JSON.stringify(numeric, null, 2)}\n`);
  writeFileSync(join(ROOT, "tests/bench/results.svg"), drawSvg(numeric, { quick, when: new Date().toISOString() }));
  log(`wrote tests/bench/results.json and tests/bench/results.svg (${results.totalSeconds} s in all)`);
}

main().catch(async (error) => {
  console.error(error);
  if (server) {
    console.error("--- last server lines ---\n" + server.tail.slice(-30).join("\n"));
    await server.stop();
  }
  process.exit(1);
});
