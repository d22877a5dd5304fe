#!/usr/bin/env node
/**
 * npm start [-- --port 8787]: the local world in one command.
 *
 * 1. `.dev.vars` with a random ADMIN_TOKEN if there is none (the operator API and /admin need it);
 * 2. builds the web client (`scripts/build-web.mjs` into dist/web; an empty dist/web without it);
 * 3. applies the D1 migrations to the local database (.wrangler/state);
 * 4. seeds the demo world if the database has no users (scripts/lib/demo.mjs);
 * 5. starts `wrangler dev` on :8787 (offline: no metrics, no Request.cf fetch) and, once it
 *    answers /api/v1/health, builds the demo users' timelines (first run only) and prints the URL
 *    and the demo logins.
 * Data persists in .wrangler/state between runs; `npm run reset` wipes it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEMO_LOGINS, DEMO_PASSWORD, demoWorld } from "./lib/demo.mjs";
import {
  applyMigrations,
  CHILD_ENV,
  d1Query,
  ensureAdminToken,
  localThreshold,
  removePidFile,
  ROOT,
  runningStartPid,
  startDevServer,
  stopChild,
  waitForHealth,
  writePidFile,
} from "./lib/local.mjs";
import { loadWorld } from "./lib/seeding.mjs";
import { buildTimelines } from "./lib/timelines.mjs";
import { indexSearch } from "./lib/search-index.mjs";
import { formatMs, step } from "./lib/ui.mjs";

const { values: args } = parseArgs({ options: { port: { type: "string", default: process.env.PORT ?? "8787" } } });
const port = Number(args.port);
const url = `http://localhost:${port}`;
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[22m` : s);

async function main() {
  const started = Date.now();
  const other = runningStartPid();
  if (other) {
    console.error(`npm start is already running (pid ${other}). Stop it first, or open ${url}.`);
    process.exit(1);
  }
  console.log(bold("\nedgefeed: starting the local world\n"));

  const admin = ensureAdminToken();
  if (admin.created) console.log(`  created .dev.vars with a random ADMIN_TOKEN for the operator API: ${admin.token}`);

  await step("build the web client", async () => {
    const build = join(ROOT, "scripts/build-web.mjs");
    if (existsSync(build)) {
      const res = spawnSync(process.execPath, [build], { cwd: ROOT, env: CHILD_ENV, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
      if (res.status !== 0) throw new Error(`scripts/build-web.mjs failed:\n${res.stdout}\n${res.stderr}`);
    }
    mkdirSync(join(ROOT, "dist/web"), { recursive: true });
  });
  await step("apply D1 migrations (local)", () => applyMigrations());
  const threshold = localThreshold();
  const { result: existing } = await step("check the local database", () =>
    d1Query(
      "SELECT COUNT(*) AS n, EXISTS (SELECT 1 FROM users WHERE username = 'ada') AS demo, NOT EXISTS (SELECT 1 FROM user_search_terms) AS unindexed FROM users",
    ),
  );
  const empty = Number(existing[0].n) === 0;
  let seeded = null;
  let seededUsers = 0;
  if (empty) {
    const world = demoWorld({ threshold });
    seededUsers = world.users.length;
    seeded = await loadWorld(world, { threshold, password: DEMO_PASSWORD, label: "seed demo world" });
    console.log(`  demo world: ${world.users.length.toLocaleString("en-US")} users (20 named people, @nova with ${threshold.toLocaleString("en-US")}+ followers), ${world.posts.length} posts`);
  } else {
    console.log(`  keeping the existing local data (${Number(existing[0].n).toLocaleString("en-US")} users); \`npm run reset\` starts over`);
  }

  writePidFile();
  const server = startDevServer({ port });
  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    await stopChild(server, signal);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  server.on("exit", (code) => {
    removePidFile();
    process.exit(stopping ? 0 : (code ?? 1));
  });

  await waitForHealth(url, { child: server, timeoutMs: 120_000 });
  // Names loaded in bulk (the demo world, or a database from before the search index) get their
  // search terms through the worker's own code.
  if (seeded || (Number(existing[0].n) > 0 && Number(existing[0].unindexed) === 1)) {
    await indexSearch({ url, token: admin.token, users: seeded ? seededUsers : Number(existing[0].n), label: "search index" });
  }
  if (seeded && seeded.activeUserIds.length > 0) {
    const timelines = await buildTimelines({ url, token: admin.token, userIds: seeded.activeUserIds, label: "demo timelines" });
    if (timelines.failed > 0) console.warn(`  ${timelines.failed} timelines failed to build; they rebuild on first read`);
  }
  const demo = seeded !== null || Number(existing[0].demo) === 1;
  const lines = [
    `edgefeed is running at ${bold(url)}   (ready in ${formatMs(Date.now() - started)})`,
    "",
    ...(demo
      ? ["Demo logins (password for every demo account: " + bold(DEMO_PASSWORD) + "):", ...DEMO_LOGINS.map((l) => `  ${bold(l.username.padEnd(6))}  ${l.note}`)]
      : ["Log in with an account of your world (seeded accounts: the password given to npm run seed)."]),
    "",
    `Operators: ${url}/admin  or  npm run inspect -- ada   (ADMIN_TOKEN is in .dev.vars)`,
    "Ctrl-C stops the server; the data stays in .wrangler/state (npm run reset wipes it).",
  ];
  const width = Math.max(...lines.map((l) => l.replace(/\x1b\[\d+m/g, "").length)) + 2;
  console.log(`\n┌${"─".repeat(width)}┐`);
  for (const l of lines) console.log(`│ ${l}${" ".repeat(width - 1 - l.replace(/\x1b\[\d+m/g, "").length)}│`);
  console.log(`└${"─".repeat(width)}┘\n`);
}

main().catch(async (error) => {
  console.error(`\nnpm start failed: ${error.stack ?? error}`);
  removePidFile();
  process.exit(1);
});
