#!/usr/bin/env node
/**
 * Measures people search and people you may know on a seeded world (issue 12):
 *
 *   npm run seed -- --users 100000 --avg-follows 20 --posts 20000 --likes 1 --comments 0 \
 *     --celebrities 2 --persist-to /tmp/bench100k --port 8812 --no-timelines
 *   node tests/bench/people.mjs --persist-to /tmp/bench100k --port 8812
 *
 * It gives one ordinary seeded user 2,000 more follows (30% followed back, so ~600 new friends)
 * with SQL before the server starts, prints EXPLAIN QUERY PLAN of the search and suggestions
 * statements on that world, then serves it with its own `wrangler dev` and times, one request at a
 * time, searches of every shape (1 to 6 letters, a name word, two words, a username prefix) and
 * suggestions for three viewers: an ordinary user (~17 follows), the seeded user with the most
 * friends, and the one given 2,000 follows. Times are client-side (the whole HTTP round trip on
 * this machine); the worker's own `durationMs` of each request is in its log.
 */
import { parseArgs } from "node:util";
import { d1Query, ROOT, startDevServer, stopChild, waitForHealth, wrangler } from "../../scripts/lib/local.mjs";
import { FIRST, LAST } from "../../scripts/lib/text.mjs";

const { values: args } = parseArgs({
  options: { "persist-to": { type: "string" }, port: { type: "string", default: "8812" }, rounds: { type: "string", default: "3" }, password: { type: "string", default: "edgefeed-demo" } },
});
const persistTo = args["persist-to"];
if (!persistTo) throw new Error("--persist-to DIR (a seeded world) is required");
const url = `http://127.0.0.1:${args.port}`;
const sqlOne = async (sql) => (await d1Query(sql, persistTo))[0];

// 1. A viewer with 2,000 follows (once per world: bench_2k is marked by its bio).
const plain = await sqlOne("SELECT id, username FROM users WHERE follower_count < 50 AND following_count BETWEEN 10 AND 30 AND bio IS NOT 'bench: 2000 follows' ORDER BY id LIMIT 1 OFFSET 777");
let heavy = await sqlOne("SELECT id, username FROM users WHERE bio = 'bench: 2000 follows'");
if (!heavy) {
  heavy = await sqlOne("SELECT id, username FROM users WHERE follower_count < 50 AND following_count < 30 ORDER BY id DESC LIMIT 1");
  const file = `${ROOT}/node_modules/.cache/bench-people.sql`;
  const { writeFileSync, mkdirSync } = await import("node:fs");
  mkdirSync(`${ROOT}/node_modules/.cache`, { recursive: true });
  writeFileSync(
    file,
    `INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at)
       SELECT '${heavy.id}', id, ${Date.now()} FROM users WHERE id <> '${heavy.id}' AND follower_count < 5000 ORDER BY (abs(random()) % 1000000) LIMIT 2000;
     INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at)
       SELECT followee_id, follower_id, ${Date.now()} FROM follows WHERE follower_id = '${heavy.id}' AND abs(random()) % 10 < 3;
     UPDATE users SET following_count = (SELECT COUNT(*) FROM follows WHERE follower_id = users.id),
                      follower_count = (SELECT COUNT(*) FROM follows WHERE followee_id = users.id)
       WHERE id = '${heavy.id}' OR id IN (SELECT followee_id FROM follows WHERE follower_id = '${heavy.id}');
     UPDATE users SET bio = 'bench: 2000 follows' WHERE id = '${heavy.id}';`,
  );
  await wrangler(["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--file", file]);
}
const friendly = await sqlOne(
  "SELECT u.id, u.username FROM users u WHERE u.following_count BETWEEN 1500 AND 2500 AND u.bio IS NOT 'bench: 2000 follows' ORDER BY u.following_count DESC LIMIT 1",
);
const stats = async (u) =>
  sqlOne(`SELECT following_count AS follows, (SELECT COUNT(*) FROM follows a WHERE a.follower_id = '${u.id}' AND EXISTS (SELECT 1 FROM follows b WHERE b.follower_id = a.followee_id AND b.followee_id = '${u.id}')) AS friends FROM users WHERE id = '${u.id}'`);
const viewers = [
  { label: "ordinary user", ...plain },
  { label: "most friends in the world", ...friendly },
  { label: "given 2,000 follows", ...heavy },
].filter((v) => v.id);
for (const v of viewers) Object.assign(v, await stats(v));

// 2. Query plans on this world (before the server holds the database).
const { parseQuery, searchSqlForPlan, suggestionsSqlForPlan } = await plans();
for (const [label, sql] of [
  ["search 'tan'", searchSqlForPlan(heavy.id, parseQuery("tan"))],
  ["search 'ada lov'", searchSqlForPlan(heavy.id, parseQuery("ada lov"))],
  ["suggestions", suggestionsSqlForPlan(heavy.id)],
]) {
  const rows = await d1Query(`EXPLAIN QUERY PLAN ${sql}`, persistTo);
  console.log(`\nEXPLAIN QUERY PLAN, ${label}:\n${rows.map((r) => `  ${r.detail}`).join("\n")}`);
}

// 3. Serve it and time the requests.
const server = startDevServer({ port: Number(args.port), persistTo, stdio: ["ignore", "ignore", "ignore"] });
try {
  await waitForHealth(url, { child: server, timeoutMs: 120_000 });
  const queries = [];
  for (let i = 0; i < 30; i++) {
    const first = FIRST[(i * 7) % FIRST.length].toLowerCase();
    const last = LAST[(i * 11) % LAST.length].toLowerCase();
    queries.push(first[0], first.slice(0, 2), first.slice(0, 3), last.slice(0, 4), last, `${first} ${last.slice(0, 3)}`, `${first}_${last.slice(0, 2)}`);
  }
  const rows = [];
  for (const v of viewers) {
    const cookie = await login(v.username);
    await get(`/api/v1/search/users?q=a`, cookie); // warm
    const search = [];
    const suggestions = [];
    const baseline = [];
    for (let round = 0; round < Number(args.rounds); round++) {
      for (let i = 0; i < 20; i++) baseline.push(await timed("/api/v1/auth/me", cookie));
      for (const q of queries) search.push(await timed(`/api/v1/search/users?q=${encodeURIComponent(q)}&limit=10`, cookie));
      for (let i = 0; i < 20; i++) suggestions.push(await timed(`/api/v1/users/me/suggestions?limit=10`, cookie));
    }
    rows.push({ viewer: `${v.label} (@${v.username}: ${v.follows} follows, ${v.friends} friends)`, baseline: summary(baseline), search: summary(search), suggestions: summary(suggestions) });
  }
  console.log("\nOne request at a time, client-side, ms (p50 / p95 / max):");
  for (const r of rows) console.log(`  ${r.viewer}\n    GET /auth/me ${r.baseline}   (the floor: session check and one row)\n    search       ${r.search}\n    suggestions  ${r.suggestions}`);
} finally {
  await stopChild(server);
}

async function login(username) {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password: args.password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return res.headers.get("set-cookie").split(";")[0];
}
async function get(path, cookie) {
  const res = await fetch(`${url}${path}`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
async function timed(path, cookie) {
  const started = performance.now();
  await get(path, cookie);
  return performance.now() - started;
}
function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1);
  return `${at(0.5)} / ${at(0.95)} / ${s[s.length - 1].toFixed(1)}   (${s.length} requests)`;
}

/** The statements' SQL with their parameters inlined, for EXPLAIN QUERY PLAN through wrangler. */
async function plans() {
  const { build } = await import("esbuild");
  const out = await build({
    stdin: {
      contents: `export { parseQuery, searchStatement } from "./core/search"; export { suggestionsStatement } from "./core/suggestions";`,
      resolveDir: ROOT,
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
  });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`);
  const fake = { prepare: (sql) => ({ bind: (...params) => ({ sql, params }) }) };
  const inline = ({ sql, params }) => sql.replace(/\?(\d+)/g, (_, n) => lit(params[Number(n) - 1]));
  const lit = (v) => (v === null || v === undefined ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replaceAll("'", "''")}'`);
  return {
    parseQuery: mod.parseQuery,
    searchSqlForPlan: (viewer, query) => inline(mod.searchStatement(fake, viewer, query, 10)),
    suggestionsSqlForPlan: (viewer) => inline(mod.suggestionsStatement(fake, viewer, 10)),
  };
}
