#!/usr/bin/env node
/**
 * npm run inspect -- <username> [--url URL] [--token T] [--json]
 * npm run inspect -- --system
 *
 * Prints what a user's Durable Objects hold (GET /api/v1/admin/users/:username/state) as tables:
 * the user's D1 row, the UserFeed's timeline, sockets, idempotency records, fan-out jobs,
 * snapshots, audience and notifications, the CelebrityFeed's outbox and leases for a celebrity, and the system
 * summary. Defaults: http://localhost:8787 and ADMIN_TOKEN from .dev.vars (or $ADMIN_TOKEN).
 */
import { parseArgs } from "node:util";
import { readDevVars } from "./lib/local.mjs";
import { adminFetch } from "./lib/timelines.mjs";
import { formatInt, table } from "./lib/ui.mjs";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string", default: process.env.EDGEFEED_URL ?? "http://localhost:8787" },
    token: { type: "string" },
    json: { type: "boolean", default: false },
    system: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

const usage = "usage: npm run inspect -- <username> [--url URL] [--token T] [--json]   |   npm run inspect -- --system";
if (args.help || (!positionals[0] && !args.system)) {
  console.log(usage);
  process.exit(args.help ? 0 : 2);
}

const url = args.url.replace(/\/+$/, "");
const token = args.token ?? process.env.ADMIN_TOKEN ?? readDevVars().ADMIN_TOKEN;
if (!token) {
  console.error("No admin token: pass --token, set ADMIN_TOKEN, or run npm start once (it writes one to .dev.vars).");
  process.exit(2);
}

const when = (ms) => {
  if (ms === null || ms === undefined || ms === 0) return "–";
  const delta = ms - Date.now();
  const abs = Math.abs(delta);
  const rel = abs < 60_000 ? `${Math.round(abs / 1000)} s` : abs < 3_600_000 ? `${Math.round(abs / 60_000)} min` : abs < 172_800_000 ? `${(abs / 3_600_000).toFixed(1)} h` : `${Math.round(abs / 86_400_000)} d`;
  return `${new Date(ms).toISOString().replace("T", " ").slice(0, 19)} (${delta >= 0 ? "in " : ""}${rel}${delta < 0 ? " ago" : ""})`;
};

function section(title, rows, head) {
  console.log(`\n${title}`);
  // Key/value sections (no head) print values as text, left-aligned.
  const cells = head ? rows : rows.map(([k, v]) => [k, typeof v === "number" ? formatInt(v) : v]);
  console.log(rows.length ? table(cells, { head }) : "  (none)");
}

function printSystem(s) {
  section(
    "System (D1)",
    [
      ["users", s.users],
      ["  active (last " + s.config.activeWindowDays + " days)", s.activeUsers],
      [`  celebrities (>= ${formatInt(s.config.celebrityThreshold)} followers)`, s.celebrities],
      ["  pull sources", s.pullSources],
      ["follow edges", s.follows],
      ["posts", s.posts],
      ["likes", s.likes],
      ["comments", s.comments],
      ["live sessions", s.sessions],
    ],
  );
}

async function main() {
  const path = args.system ? "/system" : `/users/${encodeURIComponent(positionals[0])}/state`;
  let res;
  try {
    res = await adminFetch(url, token, path);
  } catch (error) {
    console.error(`Cannot reach ${url} (${error.cause?.code ?? error.message}). Is npm start running? Use --url for another worker.`);
    process.exit(1);
  }
  if (res.status !== 200) {
    const hint = { 401: "missing token", 403: "wrong token (see .dev.vars or --token)", 404: res.body.error?.code === "USER_NOT_FOUND" ? "no such user" : "the admin API is off: ADMIN_TOKEN is not configured on that worker" }[res.status] ?? "";
    console.error(`${res.status} ${res.body.error?.code ?? ""}: ${res.body.error?.message ?? ""}${hint ? `  (${hint})` : ""}`);
    process.exit(1);
  }
  if (args.json) {
    console.log(JSON.stringify(res.body.data, null, 2));
    return;
  }
  if (args.system) return (printSystem(res.body.data.system), console.log(""));

  const { user, userFeed: f, celebrityFeed: c, system } = res.body.data;
  console.log(`\n@${user.username} (${user.displayName})  id ${user.id}   ${url}`);
  section(
    "User (D1)",
    [
      ["followers", user.followerCount],
      ["following", user.followingCount],
      ["posts", user.postCount],
      ["celebrity", user.isCelebrity ? "yes (posts are pulled by readers)" : "no (posts are pushed)"],
      ["pull source", user.isPullSource ? "yes" : "no"],
      ["last active", `${when(user.lastActiveAt)}${user.activeWithinWindow ? "  · receives pushes" : "  · inactive: rebuilt on return"}`],
      ["created", when(user.createdAt)],
    ],
  );
  section(
    "UserFeed: timeline",
    [
      ["size", f.timeline.size],
      ["horizon", f.timeline.horizon === "0" ? "0 (complete)" : f.timeline.horizon],
      ["newest seq", f.timeline.newestSeq],
      ["reload below seq", f.timeline.reloadBelowSeq],
      ["alarm", when(f.alarm)],
      ["last activity write", when(f.lastActiveWrite)],
    ],
  );
  section("  newest entries", f.timeline.newest.map((e) => [e.seq, e.postId, e.authorId]), ["seq", "post", "author"]);
  section(
    `UserFeed: sockets (${f.sockets.length})`,
    f.sockets.map((s) => [s.id, when(s.connectedAt), s.subscriptions.length ? s.subscriptions.join(", ") : "–", s.watching]),
    ["connection", "connected", "subscriptions", "watching posts"],
  );
  section(
    `UserFeed: idempotency records (${f.idempotency.count})`,
    f.idempotency.newest.map((r) => [r.scope, r.key, r.state, r.status ?? "–", when(r.createdAt), when(r.expiresAt)]),
    ["scope", "key", "state", "status", "created", "expires"],
  );
  section(
    `UserFeed: fan-out jobs (${f.jobs.length} pending)`,
    f.jobs.map((j) => [j.id, j.kind, j.postId, j.delivered, j.batches, j.cursor || "–", j.attempts, j.lastError ?? "–", when(j.nextRunAt)]),
    ["job", "kind", "post", "delivered", "batches", "cursor", "attempts", "last error", "next run"],
  );
  section(
    `UserFeed: ranked snapshots (${f.snapshots.length})`,
    f.snapshots.map((s) => [s.id, s.size, when(s.createdAt), when(s.expiresAt)]),
    ["snapshot", "posts", "created", "expires"],
  );
  section(
    "UserFeed: audience (viewers of this user's posts)",
    [
      ["watchers", typeof f.audience.watchers === "number" ? f.audience.watchers : JSON.stringify(f.audience.watchers)],
      ["profile subscribers", Array.isArray(f.audience.subscribers) ? f.audience.subscribers.length : JSON.stringify(f.audience.subscribers)],
    ],
  );
  if (f.notifications) {
    section("UserFeed: notifications (grouped, capped)", [
      ["groups", f.notifications.groups],
      ["unread", f.notifications.unread],
      ["actor rows", f.notifications.actorRows],
    ]);
  }
  if (c) {
    section(
      `CelebrityFeed: outbox (${c.outboxSize})`,
      c.outboxNewest.map((o) => [o.post_id, o.privacy, when(o.created_at)]),
      ["post", "privacy", "created"],
    );
    section(`CelebrityFeed: online followers' leases (${c.leases.length})`, c.leases.map((l) => [l.user_id, when(l.expires_at)]), ["user", "expires"]);
  }
  printSystem(system);
  console.log("");
}

main();
