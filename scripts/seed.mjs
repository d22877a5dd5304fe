#!/usr/bin/env node
/**
 * npm run seed -- [--users 12000] [--avg-follows 100] [--posts 100000] [--celebrities 3]
 *                 [--active-share 0.3] [--likes 5] [--comments 1] [--seed 42] [--password P]
 *                 [--threshold T] [--persist-to DIR] [--port 8787] [--token T] [--demo] [--no-timelines]
 *                 [--timelines-only]   (keep the data; only (re)build the active users' timelines)
 *
 * Replaces the local world with a generated one:
 * 1. wipes the local state (D1 and every Durable Object) at --persist-to and applies migrations;
 * 2. generates users, a power-law follow graph with friends and real celebrities (>= threshold
 *    followers), posts, likes and comments (scripts/lib/world.mjs; --demo: the demo world);
 * 3. writes them as bulk SQL and applies it with `wrangler d1 execute DB --local --file`, then
 *    recomputes every counter from the rows and flags celebrities with posts as pull sources;
 * 4. starts a temporary `wrangler dev` and builds the active users' timelines through
 *    UserFeed.rebuildTimeline() (POST /api/v1/admin/timelines/rebuild), bounded so that never more
 *    than ~2,500 objects are live (scripts/lib/timelines.mjs);
 * 5. prints a summary table.
 *
 * Every seeded account's password is --password (default "edgefeed-demo"), hashed once.
 */
import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEMO_PASSWORD, demoWorld } from "./lib/demo.mjs";
import {
  applyMigrations,
  d1Query,
  DEFAULT_PERSIST,
  ensureAdminToken,
  localThreshold,
  ROOT,
  runningStartPid,
  startDevServer,
  stopChild,
  waitForHealth,
} from "./lib/local.mjs";
import { loadWorld, worldCounts } from "./lib/seeding.mjs";
import { buildTimelines } from "./lib/timelines.mjs";
import { indexSearch } from "./lib/search-index.mjs";
import { formatMs, step, table } from "./lib/ui.mjs";
import { generateWorld } from "./lib/world.mjs";

const { values: args } = parseArgs({
  options: {
    users: { type: "string", default: "12000" },
    "avg-follows": { type: "string", default: "100" },
    posts: { type: "string", default: "100000" },
    celebrities: { type: "string", default: "3" },
    "active-share": { type: "string", default: "0.3" },
    likes: { type: "string", default: "5" },
    comments: { type: "string", default: "1" },
    seed: { type: "string", default: "42" },
    password: { type: "string", default: DEMO_PASSWORD },
    threshold: { type: "string" },
    "persist-to": { type: "string" },
    port: { type: "string", default: "8787" },
    token: { type: "string" },
    demo: { type: "boolean", default: false },
    "no-timelines": { type: "boolean", default: false },
    "timelines-only": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (args.help) {
  console.log(`usage: npm run seed -- [--users N] [--avg-follows F] [--posts P] [--celebrities C] [--active-share 0.3]
       [--likes 5] [--comments 1] [--seed 42] [--password P] [--threshold T] [--persist-to DIR] [--port 8787]
       [--token T] [--demo] [--no-timelines] [--timelines-only]
Replaces the local world (D1 and Durable Objects under --persist-to, default .wrangler/state).`);
  process.exit(0);
}

const num = (name) => {
  const v = Number(args[name]);
  if (!Number.isFinite(v) || v < 0) {
    console.error(`--${name} must be a non-negative number`);
    process.exit(2);
  }
  return v;
};

async function main() {
  const started = Date.now();
  const persistTo = args["persist-to"] ? resolve(args["persist-to"]) : DEFAULT_PERSIST;
  const threshold = args.threshold ? num("threshold") : localThreshold();
  const port = num("port");
  const url = `http://127.0.0.1:${port}`;
  if (persistTo === DEFAULT_PERSIST && runningStartPid()) {
    console.error("`npm start` is running on this local state: stop it first (seeding replaces the database under it).");
    process.exit(1);
  }
  const opts = {
    users: Math.floor(num("users")),
    avgFollows: num("avg-follows"),
    posts: Math.floor(num("posts")),
    celebrities: Math.floor(num("celebrities")),
    threshold,
    activeShare: num("active-share"),
    avgLikes: num("likes"),
    avgComments: num("comments"),
    seed: Math.floor(num("seed")),
  };
  if (!args.demo && !args["timelines-only"] && opts.celebrities > 0 && threshold > opts.users - 1) {
    console.error(
      `A celebrity needs at least CELEBRITY_THRESHOLD=${threshold} followers, so the world needs more than ${threshold} users:\n` +
        `use --users ${threshold + 1000} (or --celebrities 0, or set a lower CELEBRITY_THRESHOLD in .dev.vars).`,
    );
    process.exit(2);
  }

  let migrate = { ms: 0 };
  let generated = { ms: 0, result: { users: [] } };
  let loaded = { writeMs: 0, loadMs: 0, sqlBytes: 0, files: 0, activeUserIds: [] };
  if (args["timelines-only"]) {
    console.log(`\nBuilding the active users' timelines of the world in ${persistTo}\n`);
    const rows = await d1Query(`SELECT id FROM users WHERE last_active_at >= ${Date.now() - 14 * 86_400_000} ORDER BY id`, persistTo);
    loaded.activeUserIds = rows.map((r) => r.id);
  } else {
    console.log(`\nSeeding ${args.demo ? "the demo world" : "a world"} into ${persistTo} (celebrity threshold ${threshold})\n`);
    if (existsSync(persistTo)) rmSync(persistTo, { recursive: true, force: true });
    migrate = await step("wipe local state, apply D1 migrations", () => applyMigrations(persistTo));
    const now = Date.now();
    generated = await step("generate the world", () => (args.demo ? demoWorld({ threshold, now }) : generateWorld({ ...opts, now })));
    loaded = await loadWorld(generated.result, { persistTo, threshold, password: args.password, now });
  }
  const world = generated.result;

  let timelines = null;
  let search = null;
  let bootMs = null;
  const wantTimelines = !args["no-timelines"] && loaded.activeUserIds.length > 0;
  // A bulk load writes no search terms: the worker indexes the names (scripts/lib/search-index.mjs).
  const wantSearch = !args["timelines-only"];
  if (wantTimelines || wantSearch) {
    // The temporary server gets the admin token (from --token, or .dev.vars) and, when --threshold
    // overrides the configured one, that threshold, so the timelines agree with the seeded flags.
    const token = args.token ?? ensureAdminToken().token;
    const vars = { ...(args.token ? { ADMIN_TOKEN: args.token } : {}), ...(args.threshold ? { CELEBRITY_THRESHOLD: String(threshold) } : {}) };
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) throw new Error(`something already answers on ${url}: pass --port with a free port`);
    } catch (error) {
      if (String(error).includes("already answers")) throw error;
    }
    const server = startDevServer({ port, persistTo, vars, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    server.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    const stop = () => stopChild(server);
    process.once("SIGINT", () => stop().then(() => process.exit(130)));
    try {
      const boot = await step(`start wrangler dev on :${port} for the timeline build and search index`, () => waitForHealth(url, { child: server, timeoutMs: 90_000 }));
      bootMs = boot.ms;
      if (wantSearch) search = await indexSearch({ url, token, users: world.users.length });
      if (wantTimelines) timelines = { ...(await buildTimelines({ url, token, userIds: loaded.activeUserIds, label: "timelines" })), bootMs: boot.ms };
    } catch (error) {
      console.error(`\n${error.message}\n${stderr}`);
      throw error;
    } finally {
      await stop();
    }
  }

  const counts = await worldCounts(persistTo, threshold);
  console.log("\n" + table(
    [
      ["users", counts.users],
      ["follow edges", counts.follows],
      ["  friendships (mutual pairs)", counts.friendships],
      ["  most followers (one user)", counts.max_followers],
      ["posts", counts.posts],
      ["  friends-only posts", counts.friends_only_posts],
      ["likes", counts.likes],
      ["comments", counts.comments],
      [`celebrities (>= ${threshold} followers)`, counts.celebrities],
      ["  pull sources (celebrities with posts)", counts.pull_sources],
      ["active users (last 14 days)", counts.active],
      ["timelines built", timelines ? timelines.users - timelines.failed : 0],
      ["  timeline entries", timelines ? timelines.entries : 0],
      ["  peak objects opened per 15 s", timelines ? timelines.peakWindow : 0],
    ],
    { head: ["world", "count"] },
  ));
  console.log(table(
    [
      ["migrations", formatMs(migrate.ms)],
      ["generate", formatMs(generated.ms)],
      ["write SQL", formatMs(loaded.writeMs)],
      [`load D1 (${(loaded.sqlBytes / 1048576).toFixed(1)} MiB, ${loaded.files} files)`, formatMs(loaded.loadMs)],
      ["start wrangler dev", bootMs !== null ? formatMs(bootMs) : "–"],
      ["index names for search", search ? `${formatMs(search.ms)} (${search.terms.toLocaleString("en-US")} terms)` : "–"],
      ["build timelines", timelines ? formatMs(timelines.ms) : "–"],
      ["total", formatMs(Date.now() - started)],
    ],
    { head: ["step", "time"] },
  ));
  console.log(`\nEvery seeded account's password: ${args.password}   (try: npm start, then log in as ${args.demo ? "ada" : (world.users[world.celebrities?.[0] ?? 0]?.username ?? "a seeded user")})\n`);
  if (persistTo !== DEFAULT_PERSIST) console.log(`(state in ${persistTo}: serve it with \`npx wrangler dev --persist-to ${persistTo}\`)`);
  if (args.threshold && threshold !== localThreshold())
    console.log(`(seeded for CELEBRITY_THRESHOLD=${threshold}: serve it with --var CELEBRITY_THRESHOLD:${threshold} or put it in .dev.vars)`);
}

main().catch((error) => {
  console.error(`\nseed failed: ${error.stack ?? error}`);
  process.exit(1);
});

