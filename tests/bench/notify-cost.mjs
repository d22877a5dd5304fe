#!/usr/bin/env node
/**
 * What notifying adds to a like (issue 11), measured against `wrangler dev`:
 *
 *   node_modules/.bin/node tests/bench/notify-cost.mjs [--port 8801] [--likes 1000] [--concurrency 8]
 *       [--src DIR] [--label talk]
 *
 * 1. a burst: `--likes` users (inserted directly, with sessions, so no sign-up limit or PBKDF2 time
 *    counts) each like one post at once, `--concurrency` in flight: each like's latency (p50, p90,
 *    p99) and the burst's duration; then the author's notifications (one group, actorCount);
 * 2. the badge: 30 more likes, one at a time, with the author's socket open: from sending the
 *    like to the author's `notification` message (p50, max), and that against the like's own
 *    answer (negative: the message came first, as the like's request waits for its effects).
 * `--src DIR` runs another checkout's code (a baseline: `git archive <rev> | tar -x -C DIR`, with
 * node_modules linked) on the same port, the same machine, the same script; phase 2 then reports
 * "no notifications" if that code sends none. Each run seeds its own state dir.
 *
 * `--baseline DIR [--baseline-port 8811]`: an A/B under the same load. Both servers run at once
 * (this checkout on --port, DIR's code on --baseline-port), and the burst alternates between them
 * in rounds of 100 likes (the order flipping each round), so machine noise hits both alike.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CHILD_ENV, newToken, ROOT, sessionCookie, sha256Hex, snapshotSource, startServer } from "./lib/server.mjs";
import { openSocket } from "./lib/sockets.mjs";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "8801" },
    likes: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "8" },
    src: { type: "string" },
    label: { type: "string", default: "talk" },
    baseline: { type: "string" },
    "baseline-port": { type: "string", default: "8811" },
  },
});
const LIKES = Number(args.likes);
const BADGE_LIKES = 30;
const CONCURRENCY = Number(args.concurrency);
const src = args.src ?? snapshotSource(`notify-${args.label}`);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10 : null;
};
const run = (cmd, argv, cwd) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, env: CHILD_ENV, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${argv.slice(0, 4).join(" ")}: ${out.slice(-2000)}`))));
  });
const wranglerIn = (cwd) => (argv) => run(join(ROOT, "node_modules/.bin/wrangler"), argv, cwd);

async function seed(src, persist) {
  const wrangler = wranglerIn(src);
  rmSync(persist, { recursive: true, force: true });
  mkdirSync(persist, { recursive: true });
  await wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist]);
  const keyOut = await wrangler(["d1", "execute", "DB", "--local", "--persist-to", persist, "--json", "--command", "SELECT value FROM app_keys WHERE name = 'session-mac'"]);
  const key = JSON.parse(keyOut.slice(keyOut.indexOf("[")))[0].results[0].value;
  const now = Date.now();
  const users = Array.from({ length: LIKES + BADGE_LIKES + 1 }, (_, i) => {
    const id = `01NB${String(i).padStart(22, "0")}`;
    const token = newToken();
    return { id, username: `nb_${i}`, token, cookie: `ef_session=${sessionCookie(key, id, token)}` };
  });
  const sql = users.flatMap((u) => [
    `INSERT INTO users (id, username, display_name, password_hash, last_active_at, created_at) VALUES ('${u.id}', '${u.username}', 'Reader ${u.username}', 'x', ${now}, ${now});`,
    `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('${sha256Hex(u.token)}', '${u.id}', ${now}, ${now + 86_400_000});`,
  ]);
  const file = join(persist, "seed.sql");
  writeFileSync(file, sql.join("\n"));
  await wrangler(["d1", "execute", "DB", "--local", "--persist-to", persist, "--file", file]);
  return users;
}

async function call(base, method, path, cookie, body) {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { cookie, ...(body ? { "content-type": "application/json", "x-idempotency-key": crypto.randomUUID() } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  return { status: res.status, json, ms: performance.now() - started, at: performance.now() };
}

/** A seeded server running `src`'s code, with an author's post to like. */
async function prepare(label, src, port) {
  if (!existsSync(join(src, "wrangler.toml"))) throw new Error(`no wrangler.toml in ${src}`);
  const persist = join(ROOT, `.wrangler/notify-bench-${label}`);
  const [author, ...likers] = await seed(src, persist);
  const server = await startServer({ port, persistTo: persist, cwd: src });
  const post = (await call(server.url, "POST", "/api/v1/posts", author.cookie, { content: "A post about to get very popular" })).json.data.post;
  return { label, server, author, likers, post, latencies: [], failed: 0 };
}

/** Likes by `likers[from..to)` on the side's post, CONCURRENCY in flight. */
async function burst(side, from, to) {
  let next = from;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < to) {
        const u = side.likers[next++];
        const res = await call(side.server.url, "POST", `/api/v1/posts/${side.post.id}/like`, u.cookie);
        if (res.status === 200) side.latencies.push(res.ms);
        else side.failed++;
      }
    }),
  );
}

async function ab() {
  const sides = [await prepare(args.label, src, Number(args.port)), await prepare("baseline", args.baseline, Number(args["baseline-port"]))];
  try {
    for (let round = 0, from = 0; from < LIKES; round++, from += 100) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) await burst(side, from, Math.min(LIKES, from + 100));
    }
    const out = {};
    for (const side of sides) {
      const list = await call(side.server.url, "GET", "/api/v1/notifications?limit=50", side.author.cookie);
      out[side.label] = {
        likeMs: { p50: pct(side.latencies, 50), p90: pct(side.latencies, 90), p99: pct(side.latencies, 99) },
        failed: side.failed,
        notifications: list.status === 200 ? list.json.data.notifications.map((n) => ({ kind: n.kind, actorCount: n.actorCount })) : null,
      };
    }
    console.log(JSON.stringify({ likes: LIKES, concurrency: CONCURRENCY, interleaved: "rounds of 100", ...out }, null, 2));
  } finally {
    for (const side of sides) await side.server.stop();
  }
}

async function main() {
  if (args.baseline) return ab();
  const { server, author, likers, post } = await prepare(args.label, src, Number(args.port));
  try {
    const base = server.url;
    // 1. The burst.
    const burst = likers.slice(0, LIKES);
    const latencies = [];
    let next = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < burst.length) {
          const u = burst[next++];
          const res = await call(base, "POST", `/api/v1/posts/${post.id}/like`, u.cookie);
          if (res.status === 200) latencies.push(res.ms);
          else failed++;
        }
      }),
    );
    const burstMs = performance.now() - started;
    const list = await call(base, "GET", "/api/v1/notifications?limit=50", author.cookie);
    const groups = list.status === 200 ? list.json.data.notifications : null;

    // 2. The badge: the author's socket open, one like at a time.
    const arrivals = [];
    let waiting = null;
    const socket = await openSocket(base, author.cookie.slice("ef_session=".length), {
      onMessage: (msg, at) => {
        if (msg?.type === "notification" && msg.payload.notification && waiting) waiting(at);
      },
    });
    const badge = [];
    for (const u of likers.slice(LIKES)) {
      const arrived = new Promise((resolve) => {
        waiting = resolve;
        setTimeout(() => resolve(null), 3000);
      });
      const sent = performance.now();
      const res = await call(base, "POST", `/api/v1/posts/${post.id}/like`, u.cookie);
      const at = await arrived;
      if (at !== null) badge.push(at - sent);
      arrivals.push(at === null ? null : at - res.at);
    }
    socket.ws.close();
    const result = {
      label: args.label,
      likes: LIKES,
      concurrency: CONCURRENCY,
      failed,
      burstMs: Math.round(burstMs),
      likesPerSecond: Math.round((latencies.length / burstMs) * 1000),
      likeMs: { p50: pct(latencies, 50), p90: pct(latencies, 90), p99: pct(latencies, 99) },
      notifications: groups && groups.map((n) => ({ kind: n.kind, actorCount: n.actorCount })),
      badgeMs: badge.length
        ? { fromSendP50: pct(badge, 50), fromSendMax: pct(badge, 100), vsAnswerP50: pct(arrivals.filter((a) => a !== null), 50), of: badge.length }
        : "no notifications",
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
