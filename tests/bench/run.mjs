#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [--users N --avg-follows F --posts P --celebrities C]
 *                [--only PHASE,…] [--skip-seed] [--port 8790] [--persist DIR] [--no-trace]`
 *
 * Seeds a world into its own local D1 (.wrangler/bench; --skip-seed reuses the last one), starts
 * the real server (`wrangler dev`, port 8790, from a frozen copy of the sources) and runs the
 * phases in order, each in tests/bench/phases/<phase>.mjs: ceiling, feed, cost, roundtrips,
 * scaling, rpc, fanout, dormant, live (alias ws), mixed, d1time on that server, then celebrity on a second
 * one started with CELEBRITY_THRESHOLD=1000. The server runs with BENCH_TRACE=1 (the round-trip
 * tracer, core/round-trips.ts, recording only the roundtrips phase's requests); after the phases
 * the region model (regions.mjs) turns the round trips counted into modelled p50s.
 * The feed, cost, roundtrips and scaling phases are preceded by phases/warm.mjs. Prints a table (lib/table.mjs),
 * writes tests/bench/results.json (numbers only) and tests/bench/results.svg (lib/svg.mjs).
 * `--only fanout,live` runs just those phases and prints their numbers; it writes no files.
 *
 * Every loop is bounded in count and time; the server is stopped on every exit path.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { ROOT, snapshotSource, startServer } from "./lib/server.mjs";
import { seedWorld } from "./lib/seed.mjs";
import { createContext, round } from "./lib/context.mjs";
import { printTable } from "./lib/table.mjs";
import { drawSvg } from "./lib/svg.mjs";
import { measureCeiling } from "./phases/ceiling.mjs";
import { warmReaders } from "./phases/warm.mjs";
import { measureFeeds } from "./phases/feed.mjs";
import { measureCost } from "./phases/cost.mjs";
import { measureScaling } from "./phases/scaling.mjs";
import { measureRpcCeiling } from "./phases/rpc.mjs";
import { measureFanout } from "./phases/fanout.mjs";
import { measureDormant } from "./phases/dormant.mjs";
import { measureLive, measureMixed } from "./phases/live.mjs";
import { measureRoundTrips } from "./phases/round-trips.mjs";
import { modelRegions, printRegions } from "./regions.mjs";
import { measureCelebrities } from "./phases/celebrity.mjs";
import { measureD1Time } from "./phases/d1-time.mjs";

/**
 * The phases in the order they run; each resolves the keys it adds to results.json. `prior` is
 * the results so far (feed compares with the ceiling, fanout with the RPC ceiling).
 */
export const PHASES = [
  { name: "ceiling", run: (ctx) => measureCeiling(ctx) },
  { name: "feed", warm: true, run: (ctx, world, prior) => measureFeeds(ctx, world, prior) },
  { name: "cost", warm: true, run: (ctx, world) => measureCost(ctx, world) },
  { name: "roundtrips", warm: true, run: (ctx, world) => measureRoundTrips(ctx, world) },
  { name: "scaling", warm: true, run: (ctx, world) => measureScaling(ctx, world) },
  { name: "rpc", run: (ctx, world) => measureRpcCeiling(ctx, world) },
  { name: "fanout", run: (ctx, world, prior) => measureFanout(ctx, world, prior) },
  { name: "dormant", run: (ctx, world) => measureDormant(ctx, world) },
  { name: "live", alias: "ws", run: (ctx, world) => measureLive(ctx, world) },
  { name: "mixed", run: (ctx, world) => measureMixed(ctx, world) },
  { name: "d1time", warm: true, run: (ctx, world) => measureD1Time(ctx, world) },
];
/** On a server restarted with CELEBRITY_THRESHOLD=1000 (a 1,000-follower author must be a celebrity). */
export const CELEBRITY_PHASE = { name: "celebrity", run: (ctx, world) => measureCelebrities(ctx, world) };

export function benchConfig(args) {
  const quick = args.quick;
  return {
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
}

/** `--only a,b` → a predicate on phases (null: all of them); unknown names are refused. */
export function phaseFilter(only) {
  if (!only) return () => true;
  const names = new Set(only.split(",").map((s) => s.trim()).filter(Boolean));
  const known = [...PHASES, CELEBRITY_PHASE].flatMap((p) => [p.name, p.alias].filter(Boolean));
  const unknown = [...names].filter((n) => !known.includes(n));
  if (unknown.length) throw new Error(`--only: unknown phase(s) ${unknown.join(", ")}; known: ${known.join(", ")}`);
  return (phase) => names.has(phase.name) || (phase.alias !== undefined && names.has(phase.alias));
}

async function main() {
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
      // The server without BENCH_TRACE (the roundtrips phase then fails): to check what tracing costs the other phases.
      "no-trace": { type: "boolean", default: false },
    },
  });
  const { quick } = args;
  const cfg = benchConfig(args);
  const want = phaseFilter(args.only);
  const PORT = Number(args.port);
  const PERSIST = args.persist;
  const WORLD_FILE = join(PERSIST, "bench-world.json");
  const ADMIN_TOKEN = randomBytes(18).toString("base64url");
  const started = Date.now();
  const log = (...m) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s]`, ...m);
  /** The sources as they were when the bench started (wrangler dev would reload on others' saves). */
  const SOURCE = snapshotSource(`bench-${PORT}`);
  const results = {};
  const serverLogs = [];
  let server = null;

  const start = async (vars) => {
    server = await startServer({
      port: PORT,
      cwd: SOURCE,
      persistTo: PERSIST,
      // BENCH_TRACE: the round-trip tracer (core/round-trips.ts); it records only requests that ask.
      vars: { POST_RATE_LIMIT_PER_MINUTE: "100000", ADMIN_TOKEN, ...(args["no-trace"] ? {} : { BENCH_TRACE: "1" }), ...vars },
      onLine(line) {
        const i = line.indexOf("{");
        if (i < 0 || !line.includes('"msg"')) return;
        try {
          const entry = JSON.parse(line.slice(i));
          if (entry.msg !== "request") serverLogs.push({ ...entry, at: performance.now() });
        } catch {}
      },
    });
    return createContext({ url: server.url, adminToken: ADMIN_TOKEN, serverLogs, cfg, log });
  };
  const stop = async () => {
    await server?.stop();
    server = null;
  };
  process.on("SIGINT", async () => {
    await stop();
    process.exit(130);
  });

  try {
    let world;
    if (args["skip-seed"] && existsSync(WORLD_FILE)) world = JSON.parse(readFileSync(WORLD_FILE, "utf8"));
    else {
      const seeded = await seedWorld({ persist: PERSIST, worldFile: WORLD_FILE, cfg, log });
      world = seeded.world;
      results.seedSeconds = round(seeded.seconds);
    }
    const phases = PHASES.filter(want);
    if (phases.length) {
      log(`starting wrangler dev on :${PORT} (CELEBRITY_THRESHOLD=${cfg.threshold})`);
      const ctx = await start({ CELEBRITY_THRESHOLD: String(cfg.threshold) });
      let warmed = false;
      for (const phase of phases) {
        if (phase.warm && !warmed) {
          Object.assign(results, await warmReaders(ctx, world));
          warmed = true;
        }
        Object.assign(results, await phase.run(ctx, world, results));
      }
      results.workerdRssMbPhaseA = round(server.workerdRssKb() / 1024, 0);
      // The region model, from the round trips just counted (also `node tests/bench/regions.mjs`).
      if (results.rtFeedRankedUserObject !== undefined) {
        const modelled = modelRegions(results);
        printRegions(modelled, log);
        Object.assign(results, modelled.keys);
      }
      await stop();
    }
    if (want(CELEBRITY_PHASE)) {
      log("restarting wrangler dev with CELEBRITY_THRESHOLD=1000 (a 1,000-follower author must be a celebrity)");
      const ctx = await start({ CELEBRITY_THRESHOLD: "1000" });
      Object.assign(results, await CELEBRITY_PHASE.run(ctx, world, results));
      await stop();
    }
  } catch (error) {
    console.error(error);
    if (server) console.error("--- last server lines ---\n" + server.tail.slice(-30).join("\n"));
    await stop();
    process.exit(1);
  }

  results.totalSeconds = round((Date.now() - started) / 1000, 0);
  results.quick = quick ? 1 : 0;
  results.users = cfg.users;
  results.posts = cfg.posts;
  const numeric = Object.fromEntries(Object.entries(results).filter(([, v]) => typeof v === "number" && Number.isFinite(v)));
  if (args.only) {
    // A partial run: its numbers only, printed; the last full run's files stay as they were.
    console.log(JSON.stringify(numeric, null, 2));
    log(`--only ${args.only}: tests/bench/results.json and results.svg left as they were (${results.totalSeconds} s in all)`);
    return;
  }
  printTable(results);
  writeFileSync(join(ROOT, "tests/bench/results.json"), `${JSON.stringify(numeric, null, 2)}\n`);
  writeFileSync(join(ROOT, "tests/bench/results.svg"), drawSvg(numeric, { quick, when: new Date().toISOString() }));
  log(`wrote tests/bench/results.json and tests/bench/results.svg (${results.totalSeconds} s in all)`);
}

// Run only as the entry point (importing this file, e.g. to check the phase list, runs nothing).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) await main();
