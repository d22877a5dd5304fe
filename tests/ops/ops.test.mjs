/**
 * Operator tooling end to end (node --test, Node 22 via npm scripts): seeds a small world into its
 * own state (.wrangler/ops-test) with `npm run seed`, checks it row by row, serves it with its own
 * `wrangler dev` on :8789, then drives the inspect CLI, the admin API and the /admin page against
 * it. The server is stopped (by its pid) and the state removed afterwards.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { d1Query, ROOT, startDevServer, stopChild, waitForHealth } from "../../scripts/lib/local.mjs";
import { ID_PATTERN, idTime } from "../../scripts/lib/ids.mjs";

const PORT = 8789;
const URL = `http://127.0.0.1:${PORT}`;
const PERSIST = join(ROOT, ".wrangler/ops-test");
const TOKEN = `ops-test-${process.pid}-token`;
const THRESHOLD = 120;
const PASSWORD = "ops-test-password";

function run(script, args, { timeoutMs = 120_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGINT"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let seedRun;
let server;
let facts;

before(async () => {
  rmSync(PERSIST, { recursive: true, force: true });
  seedRun = await run("scripts/seed.mjs", [
    "--users", "400", "--avg-follows", "15", "--posts", "1500", "--celebrities", "2", "--threshold", String(THRESHOLD),
    "--active-share", "0.4", "--persist-to", PERSIST, "--port", String(PORT), "--token", TOKEN, "--password", PASSWORD,
  ]);
  if (seedRun.code !== 0) return;
  // Facts about the world, read with wrangler before the server opens the database.
  const [counts] = await d1Query(
    `SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM follows) AS follows, (SELECT COUNT(*) FROM posts) AS posts,
       (SELECT COUNT(*) FROM likes) AS likes, (SELECT COUNT(*) FROM comments) AS comments,
       (SELECT COUNT(*) FROM users u WHERE follower_count != (SELECT COUNT(*) FROM follows f WHERE f.followee_id = u.id)
                                   OR following_count != (SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id)) AS bad_user_counts,
       (SELECT COUNT(*) FROM posts p WHERE like_count != (SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id)
                                   OR comment_count != (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id)
                                   OR share_count != (SELECT COUNT(*) FROM posts s WHERE s.shared_post_id = p.id)) AS bad_post_counts,
       (SELECT COUNT(*) FROM users WHERE is_pull_source != (follower_count >= ${THRESHOLD} AND EXISTS (SELECT 1 FROM posts p WHERE p.author_id = users.id))) AS bad_pull_flags,
       (SELECT COUNT(*) FROM users WHERE follower_count >= ${THRESHOLD}) AS celebrities,
       (SELECT COUNT(*) FROM follows a WHERE EXISTS (SELECT 1 FROM follows b WHERE b.follower_id = a.followee_id AND b.followee_id = a.follower_id)) AS mutual_edges,
       (SELECT COUNT(*) FROM posts WHERE privacy = 'friends') AS friends_posts,
       (SELECT COUNT(*) FROM users WHERE last_active_at >= ${Date.now() - 14 * 86_400_000}) AS active,
       (SELECT COUNT(*) FROM likes l JOIN posts p ON p.id = l.post_id WHERE p.privacy = 'friends' AND NOT (
          EXISTS (SELECT 1 FROM follows a WHERE a.follower_id = l.user_id AND a.followee_id = p.author_id)
          AND EXISTS (SELECT 1 FROM follows b WHERE b.follower_id = p.author_id AND b.followee_id = l.user_id))) AS invisible_likes`,
    PERSIST,
  );
  const posts = await d1Query("SELECT id, created_at FROM posts ORDER BY random() LIMIT 200", PERSIST);
  const comments = await d1Query("SELECT id, created_at FROM comments ORDER BY random() LIMIT 100", PERSIST);
  const users = await d1Query("SELECT id, created_at FROM users ORDER BY random() LIMIT 50", PERSIST);
  const active = await d1Query(
    `SELECT username FROM users WHERE last_active_at >= ${Date.now() - 14 * 86_400_000} AND follower_count < ${THRESHOLD} ORDER BY following_count DESC LIMIT 1`,
    PERSIST,
  );
  const celeb = await d1Query(`SELECT username FROM users WHERE is_pull_source = 1 LIMIT 1`, PERSIST);
  facts = { counts, posts, users, comments, activeUser: active[0].username, celebrity: celeb[0]?.username };
  server = startDevServer({ port: PORT, persistTo: PERSIST, vars: { ADMIN_TOKEN: TOKEN, CELEBRITY_THRESHOLD: String(THRESHOLD) }, stdio: ["ignore", "ignore", "ignore"] });
  await waitForHealth(URL, { child: server, timeoutMs: 90_000 });
});

after(async () => {
  await stopChild(server);
  rmSync(PERSIST, { recursive: true, force: true });
});

describe("npm run seed (small world, end to end)", () => {
  it("finishes with a summary table", () => {
    assert.equal(seedRun.code, 0, `seed failed:\n${seedRun.stdout}\n${seedRun.stderr}`);
    for (const label of ["users", "follow edges", "posts", "likes", "comments", "celebrities", "active users", "timelines built", "build timelines", "total"])
      assert.match(seedRun.stdout, new RegExp(`│ *${label.replace(/[()]/g, "\\$&")}`), label);
  });

  it("writes the requested world with consistent counters and flags", () => {
    const c = facts.counts;
    assert.equal(c.users, 400);
    assert.equal(c.posts, 1500);
    assert.ok(c.follows >= 400 * 15 * 0.8 && c.follows <= 400 * 15 * 1.2, `follows ${c.follows}`);
    assert.ok(c.likes > 0 && c.comments > 0);
    assert.equal(c.bad_user_counts, 0);
    assert.equal(c.bad_post_counts, 0);
    assert.equal(c.bad_pull_flags, 0);
    assert.equal(c.celebrities, 2, "exactly the requested celebrities reach the threshold");
    assert.ok(c.mutual_edges > 0, "friends exist");
    assert.ok(c.friends_posts > 0, "friends-only posts exist");
    assert.ok(c.active >= 400 * 0.25 && c.active <= 400 * 0.6, `active ${c.active}`);
    assert.equal(c.invisible_likes, 0, "friends-only posts are liked by friends only");
  });

  it("gives users, posts and comments time-sortable ids that encode their creation time", () => {
    for (const row of [...facts.users, ...facts.posts, ...facts.comments]) {
      assert.match(row.id, ID_PATTERN);
      assert.equal(idTime(row.id), row.created_at, row.id);
    }
  });

  it("seeded users log in with the seed password and have a built timeline", async () => {
    const login = await fetch(`${URL}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: facts.activeUser, password: PASSWORD }),
    });
    assert.equal(login.status, 200);
    const res = await fetch(`${URL}/api/v1/admin/users/${facts.activeUser}/state`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = await res.json();
    assert.ok(body.data.userFeed.timeline.size > 0, "timeline was built by the seed");
    const cookie = login.headers.get("set-cookie").split(";")[0];
    const feed = await (await fetch(`${URL}/api/v1/feed?mode=latest&limit=10`, { headers: { cookie } })).json();
    assert.ok(feed.data.posts.length > 0);
  });
});

describe("npm run inspect", () => {
  it("prints a user's objects as tables", async () => {
    const r = await run("scripts/inspect.mjs", [facts.activeUser, "--url", URL, "--token", TOKEN]);
    assert.equal(r.code, 0, r.stderr);
    for (const title of ["User (D1)", "UserFeed: timeline", "newest entries", "UserFeed: sockets", "UserFeed: idempotency records", "UserFeed: fan-out jobs", "System (D1)"])
      assert.ok(r.stdout.includes(title), title);
    assert.match(r.stdout, /┌─/);
    assert.ok(!r.stdout.includes("CelebrityFeed"), "no celebrity section for a regular user");
  });

  it("adds the CelebrityFeed for a celebrity, and --json gives the raw state", async () => {
    const r = await run("scripts/inspect.mjs", [facts.celebrity, "--url", URL, "--token", TOKEN]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes("CelebrityFeed: outbox"));
    const j = await run("scripts/inspect.mjs", [facts.celebrity, "--url", URL, "--token", TOKEN, "--json"]);
    const data = JSON.parse(j.stdout);
    assert.equal(data.user.isCelebrity, true);
    assert.equal(data.system.users, 400);
  });

  it("explains a wrong token, an unknown user and an unreachable server", async () => {
    const wrong = await run("scripts/inspect.mjs", [facts.activeUser, "--url", URL, "--token", "nope"]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /403 FORBIDDEN/);
    const missing = await run("scripts/inspect.mjs", ["no_such_user_here", "--url", URL, "--token", TOKEN]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /404 USER_NOT_FOUND/);
    const down = await run("scripts/inspect.mjs", [facts.activeUser, "--url", "http://127.0.0.1:9", "--token", TOKEN]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /Cannot reach/);
  });
});

describe("/admin page", () => {
  it("is served by the worker as a self-contained page that calls the admin API", async () => {
    const res = await fetch(`${URL}/admin`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /text\/html/);
    const html = await res.text();
    assert.match(html, /\/api\/v1\/admin\//);
    assert.match(html, /sessionStorage/);
    assert.match(html, /Authorization/i);
  });
});
