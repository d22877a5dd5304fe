/**
 * The soak: 1,000 open sockets, 32 feed readers and 5 posts/s (each to `perAuthor` followers'
 * sockets) for `seconds`, against a running `wrangler dev`. It counts what must hold (every
 * delivery made, zero HTTP and socket errors, fan-outs drained within 10 s of the load stopping,
 * memory flat: the second half's mean RSS less than 5 % over the first half's) and what people
 * feel while the fan-out runs (feed read, post and live delivery latency), and records it all,
 * with the memory series and the load average, so the next run is compared with this one.
 *
 * `heap`: the server runs with an inspector; the JS heap (after a GC) is sampled every 30 s and
 * heap snapshots are taken at the start, middle and end, compared by constructor (a GC and a
 * snapshot stop the runtime thread: latency figures of such a run are not comparable).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { percentile, request, sleep } from "../bench/lib/load.mjs";
import { closeAll, openMany } from "../bench/lib/sockets.mjs";
import { connectInspector, snapshotDiff } from "./inspector.mjs";

/** The seed's consistency bound: a post is in every follower's feed within 10 s. */
const DRAIN_BOUND_MS = 10_000;
const FLAT_PCT = 5;

/**
 * The workerd processes' memory split as the kernel counts it (anonymous: malloc'd, such as V8's
 * heap, SQLite's page caches and socket buffers; file and shmem: mapped files such as SQLite's
 * WAL index) and their open files (each live object holds 3 for its database: PLATFORM-NOTES).
 */
function workerdMemory(server) {
  const out = { anonMb: 0, fileMb: 0, shmemMb: 0, fds: 0 };
  try {
    const ps = execFileSync("ps", ["-o", "pid=,comm=", "--sid", String(server.child.pid)], { encoding: "utf8" });
    for (const [pid, comm] of ps.split("\n").map((l) => l.trim().split(/\s+/))) {
      if (!comm?.includes("workerd")) continue;
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = (field) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? 0);
      out.anonMb += kb("RssAnon") / 1024;
      out.fileMb += kb("RssFile") / 1024;
      out.shmemMb += kb("RssShmem") / 1024;
      out.fds += readdirSync(`/proc/${pid}/fd`).length;
    }
  } catch {}
  return { anonMb: Math.round(out.anonMb), fileMb: Math.round(out.fileMb), shmemMb: Math.round(out.shmemMb), fds: out.fds };
}

const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number);
const pct = (sorted, p) => Math.round(percentile(sorted, p));

/** `ctx`: {start(extraArgs) → server, api, state, world, log, seconds, perAuthor, heap, inspectorPort}. */
export async function soakSuite(ctx) {
  const { api, state, world, log, seconds, perAuthor } = ctx;
  log(`soak: 1,000 sockets, 32 feed readers, 5 posts/s (each to ${perAuthor} followers' sockets: ${5 * perAuthor} deliveries/s) for ${seconds} s${ctx.heap ? ", with heap snapshots" : ""}`);
  const inspecting = ctx.heap || ctx.cpuProfileSeconds > 0;
  const server = await ctx.start(inspecting ? ["--inspector-port", String(ctx.inspectorPort)] : []);
  const inspector = inspecting ? await connectInspector(ctx.inspectorPort) : null;
  let cpu = null;
  const received = new Map();
  const onMessage = (msg, _at, _sock, i) => {
    if (msg?.type === "new_post") received.set(`${msg.payload.post.id}:${i}`, performance.now());
  };
  const tokens = Array.from({ length: 1000 }, (_, i) => world.sessions[`f${i}`]);
  const opened = performance.now();
  const { sockets, failed } = await openMany(server.url, tokens, { concurrency: 16, onMessage });
  log(`  ${sockets.length} sockets open in ${((performance.now() - opened) / 1000).toFixed(1)} s (${failed} failed)`);
  await sleep(3000);
  const loadAtStart = loadavg();
  const rss = [];
  const heap = [];
  const snapshots = [];
  const began = performance.now();
  const at = () => Math.round((performance.now() - began) / 1000);
  const sample = () => rss.push({ t: at(), mb: Math.round(server.workerdRssKb() / 1024), ...workerdMemory(server) });
  const end = began + seconds * 1000;
  sample();
  const sampler = setInterval(sample, 5000);
  const snapshotAt = async (label) => {
    if (!ctx.heap) return;
    heap.push({ t: at(), ...(await inspector.heapMb()) });
    snapshots.push({ label, t: at(), summary: await inspector.snapshot() });
    log(`  heap snapshot (${label}) at ${at()} s: ${Math.round(snapshots.at(-1).summary.totalBytes / 1048576)} MB of JS objects, RSS ${server.workerdRssKb() >> 10} MB`);
  };
  let heapTimer = null;
  if (ctx.cpuProfileSeconds > 0) {
    // Where the runtime thread's time goes in the middle of the load (idle, GC, our functions).
    setTimeout(() => inspector.cpuProfile(ctx.cpuProfileSeconds * 1000).then((p) => (cpu = p)).catch((e) => log(`  cpu profile failed: ${e.message}`)), Math.max(0, (seconds - ctx.cpuProfileSeconds) * 500));
  }
  if (ctx.heap) {
    await snapshotAt("start");
    heapTimer = setInterval(() => inspector.heapMb().then((h) => heap.push({ t: at(), ...h })).catch(() => {}), 30_000);
    setTimeout(() => snapshotAt("middle").catch((e) => log(`  middle snapshot failed: ${e.message}`)), (seconds * 1000) / 2);
  }
  const http = { errors: 0, statuses: {}, reads: [], posts: [] };
  const count = (kind) => (http.statuses[kind] = (http.statuses[kind] ?? 0) + 1);
  const posts = [];
  const pending = [];
  async function reader() {
    while (performance.now() < end) {
      const i = Math.floor(Math.random() * 1000);
      try {
        const res = await request(api(`/feed?mode=${Math.random() < 0.5 ? "ranked" : "latest"}`), { headers: { cookie: `ef_session=${world.sessions[`f${i}`]}` } });
        count(res.status);
        if (res.status === 200) http.reads.push(res.ms);
        else http.errors++;
      } catch (e) {
        http.errors++;
        count(`read ${String(e?.message ?? e).split(":")[0]}`);
      }
    }
  }
  async function poster() {
    for (let n = 0; performance.now() < end && n < seconds * 5 + 5; n++) {
      const due = began + n * 200;
      if (due > performance.now()) await sleep(due - performance.now());
      const author = `s${n % 10}`;
      // A client retries network errors with the same idempotency key (DESIGN.md), so a dropped
      // keep-alive connection is a retry, not a lost post; only a post that fails 3 times counts.
      const key = randomUUID();
      const sentAt = performance.now();
      const send = (attempt) =>
        request(api("/posts"), { method: "POST", headers: { cookie: `ef_session=${world.sessions[author]}`, "x-idempotency-key": key, "content-type": "application/json" }, body: JSON.stringify({ content: `soak ${n}` }) })
          .then((res) => {
            if (res.status === 201) posts.push({ id: JSON.parse(res.body).data.post.id, author: n % 10, sentAt }), http.posts.push(performance.now() - sentAt);
            else (http.errors++, count(`post ${res.status}`));
          })
          .catch((e) => {
            count(`post ${String(e?.message ?? e).split(":")[0]}`);
            if (attempt < 2) return send(attempt + 1);
            http.errors++;
          });
      pending.push(send(0));
    }
  }
  await Promise.all([poster(), ...Array.from({ length: 32 }, reader)]);
  await Promise.all(pending);
  const loadEndedAt = at();
  clearInterval(sampler);
  // Let the last fan-outs land: until every author's jobs are done (at most 60 s), then 2 s more.
  const drainStart = performance.now();
  for (let a = 0; a < 10 && performance.now() - drainStart < 60_000; ) {
    const s = await state(world.ids[`s${a}`]).catch(() => null);
    if (s?.jobs === 0) a++;
    else await sleep(250);
  }
  const drainMs = Math.round(performance.now() - drainStart);
  await sleep(2000);
  sample();
  if (heapTimer) clearInterval(heapTimer);
  await snapshotAt("end").catch((e) => log(`  end snapshot failed: ${e.message}`));
  const loadAtEnd = loadavg();
  // Every post reaches the sockets of its author's followers (f[100a .. 100a+perAuthor-1]).
  let expected = 0;
  let missing = 0;
  const live = [];
  for (const p of posts) {
    for (let k = 0; k < perAuthor; k++) {
      expected++;
      const arrived = received.get(`${p.id}:${p.author * 100 + k}`);
      if (arrived === undefined) missing++;
      else live.push(arrived - p.sentAt);
    }
  }
  const socketErrors = sockets.reduce((n, s) => n + s.errors.length, 0);
  const closed = sockets.filter((s) => s.closed).length;
  closeAll(sockets);
  inspector?.close();
  await server.stop();
  const reads = http.reads.sort((a, b) => a - b);
  const postMs = http.posts.sort((a, b) => a - b);
  const serverFeed = [...(ctx.serverTimes?.feed ?? [])].sort((a, b) => a - b);
  const serverPost = [...(ctx.serverTimes?.post ?? [])].sort((a, b) => a - b);
  live.sort((a, b) => a - b);
  // Memory: the steady state is from 10 s on (sockets settled); halves compared by their means.
  // A sample of 0 means workerd was gone; one under half the one before, that wrangler restarted
  // it (a crash: every socket closed). Either fails the soak and is said, not averaged in.
  const serverDiedAt = rss.find((r, i) => r.mb === 0 || (i > 0 && r.mb < rss[i - 1].mb / 2))?.t ?? null;
  const steady = rss.filter((r) => r.t >= 10 && r.mb > 0);
  const half = Math.floor(steady.length / 2);
  const mean = (xs) => xs.reduce((a, b) => a + b.mb, 0) / Math.max(1, xs.length);
  const [firstMean, secondMean] = [mean(steady.slice(0, half)), mean(steady.slice(half))];
  const growthPct = firstMean ? (100 * (secondMean - firstMean)) / firstMean : NaN;
  const flat = growthPct < FLAT_PCT;
  const drained = drainMs <= DRAIN_BOUND_MS;
  const ok = serverDiedAt === null && http.errors === 0 && socketErrors === 0 && closed === 0 && missing === 0 && failed === 0 && flat && drained;
  const result = {
    soakSeconds: seconds,
    soakLoadAverage: { start: loadAtStart, end: loadAtEnd },
    soakFollowersPerAuthor: perAuthor,
    soakSockets: sockets.length,
    soakSocketFailures: failed,
    soakFeedReads: reads.length,
    soakFeedP50Ms: pct(reads, 50),
    soakFeedP99Ms: pct(reads, 99),
    soakPosts: posts.length,
    soakPostP50Ms: pct(postMs, 50),
    soakPostP99Ms: pct(postMs, 99),
    // The same requests timed inside the worker (its request log): the rest of each wait was outside it.
    soakServerFeedP50Ms: pct(serverFeed, 50),
    soakServerFeedP99Ms: pct(serverFeed, 99),
    soakServerPostP50Ms: pct(serverPost, 50),
    soakServerPostP99Ms: pct(serverPost, 99),
    soakLiveP50Ms: pct(live, 50),
    soakLiveP99Ms: pct(live, 99),
    soakLoadSeconds: loadEndedAt,
    soakDrainAfterLoadMs: drainMs,
    soakDeliveriesExpected: expected,
    soakDeliveriesMissing: missing,
    soakHttpErrors: http.errors,
    soakHttpStatuses: http.statuses,
    soakSocketErrors: socketErrors,
    soakSocketsClosed: closed,
    soakRssStartMb: rss[0]?.mb,
    soakRssEndMb: rss.at(-1)?.mb,
    soakRssGrowthMb: Math.round(secondMean - firstMean),
    soakRssGrowthPct: Math.round(growthPct * 10) / 10,
    soakRssSeries: rss,
    soakServerDiedAtS: serverDiedAt,
    ...(cpu ? { soakCpuProfile: cpu } : {}),
    ...(ctx.heap ? { soakJsHeapSeries: heap, soakHeapDiffs: snapshots.slice(1).map((s, i) => ({ from: snapshots[i].label, to: s.label, top: snapshotDiff(snapshots[i].summary, s.summary) })) } : {}),
    soakPass: ok ? 1 : 0,
  };
  log(`  load average ${loadAtStart.join(" ")} at the start, ${loadAtEnd.join(" ")} at the end`);
  log(`  feed reads ${reads.length} in ${loadEndedAt} s (p50 ${result.soakFeedP50Ms} ms, p99 ${result.soakFeedP99Ms} ms; goal p50 <= 250, p99 <= 1000), HTTP errors ${http.errors} ${JSON.stringify(http.statuses)}`);
  log(`  inside the worker: feed reads p50 ${result.soakServerFeedP50Ms} ms, p99 ${result.soakServerFeedP99Ms} ms; posts p50 ${result.soakServerPostP50Ms} ms, p99 ${result.soakServerPostP99Ms} ms`);
  log(`  posts ${posts.length} (answered p50 ${result.soakPostP50Ms} ms, p99 ${result.soakPostP99Ms} ms); post sent -> on a follower's socket p50 ${result.soakLiveP50Ms} ms, p99 ${result.soakLiveP99Ms} ms`);
  log(`  fan-outs drained ${drainMs} ms after the load stopped (bound ${DRAIN_BOUND_MS} ms)`);
  log(`  deliveries ${expected - missing}/${expected}, socket errors ${socketErrors}, sockets closed ${closed}`);
  if (serverDiedAt !== null) log(`  workerd CRASHED at ${serverDiedAt} s (RSS gone or halved: restarted): the figures after it are not the soak's`);
  log(`  workerd RSS MB over time: ${rss.map((r) => `${r.t}s:${r.mb}`).join(" ")}`);
  log(`  of which anonymous / file / shmem MB, open files: ${rss.filter((_, i) => i % 3 === 0 || i === rss.length - 1).map((r) => `${r.t}s:${r.anonMb}/${r.fileMb}/${r.shmemMb},${r.fds}fd`).join(" ")}`);
  log(`  RSS mean of the 2nd half vs the 1st (from 10 s): ${secondMean.toFixed(0)} vs ${firstMean.toFixed(0)} MB, ${result.soakRssGrowthPct} % (flat: < ${FLAT_PCT} %)`);
  if (cpu) {
    log(`  CPU profile (${ctx.cpuProfileSeconds} s mid-load, our isolate): idle ${cpu.idlePct} %, GC ${cpu.gcPct} %, program ${cpu.programPct} %`);
    for (const f of cpu.top.slice(0, 15)) log(`    ${f.pct} % ${f.fn}`);
  }
  if (ctx.heap) {
    log(`  JS heap after GC, MB over time: ${heap.map((h) => `${h.t}s:${h.usedMb}`).join(" ")}`);
    for (const d of result.soakHeapDiffs) log(`  heap ${d.from} -> ${d.to}: ${d.top.slice(0, 8).map((r) => `${r.key} ${r.countDelta >= 0 ? "+" : ""}${r.countDelta} (${r.kbDelta} KB)`).join(", ")}`);
  }
  log(`  soak: ${ok ? "PASS" : "FAIL"}`);
  return { ok, result };
}
