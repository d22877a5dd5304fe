/**
 * Operator API, behind `Authorization: Bearer $ADMIN_TOKEN`.
 *
 * - No ADMIN_TOKEN configured: the API does not exist (404), so a deployment without the secret
 *   exposes nothing. Missing credentials: 401. Wrong token: 403 (compared in constant time).
 * - GET  /users/:username/state   what the user's objects hold (UserFeed.inspect(), and for a
 *   celebrity CelebrityFeed.inspect()), with the user's D1 row and a small system summary.
 * - GET  /system                  the system summary alone (counts from D1).
 * - POST /timelines/rebuild       rebuilds the timelines of up to 100 users through
 *   UserFeed.rebuildTimeline() (the seed uses it to warm active users after a bulk load).
 * - POST /search/reindex          {after?, limit?}: rebuilds the display-name search terms of
 *   up to `limit` (1000) users after id `after` (rows loaded in bulk have none); answers `next`.
 */
import { writeSession } from "../../core/d1";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../types";
import { readConfig } from "../../core/config";
import { ApiError, notFound } from "../../core/errors";
import { log } from "../../core/log";
import { mapPool } from "../../core/pool";
import { reindexSearchPage } from "../../core/search";

const encoder = new TextEncoder();

/** Equal-cost comparison: both sides hashed to 32 bytes first, so neither length nor prefix leaks. */
async function tokensEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([crypto.subtle.digest("SHA-256", encoder.encode(given)), crypto.subtle.digest("SHA-256", encoder.encode(expected))]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

export const REBUILD_MAX_USERS = 100;
/** Rebuilds in flight at once within one request (each opens one object). */
const REBUILD_CONCURRENCY = 8;

const rebuildBody = z.object({ userIds: z.array(z.string().min(1).max(64)).min(1).max(REBUILD_MAX_USERS) });
const reindexBody = z.object({ after: z.string().max(64).optional().default(""), limit: z.number().int().min(1).max(1000).optional().default(500) });

type Count = { n: number };

/** Counts from D1 for the whole system: one batch, cheap enough to poll. */
export async function systemSummary(env: Env) {
  const config = readConfig(env);
  const activeSince = Date.now() - config.activeWindowMs;
  const db = writeSession(env.DB); // operators read and write the newest state: the primary
  const statements = [
    db.prepare("SELECT COUNT(*) AS n FROM users"),
    db.prepare("SELECT COUNT(*) AS n FROM users WHERE last_active_at >= ?").bind(activeSince),
    db.prepare("SELECT COUNT(*) AS n FROM users WHERE follower_count >= ?").bind(config.celebrityThreshold),
    db.prepare("SELECT COUNT(*) AS n FROM users WHERE is_pull_source = 1"),
    db.prepare("SELECT COUNT(*) AS n FROM follows"),
    db.prepare("SELECT COUNT(*) AS n FROM posts"),
    db.prepare("SELECT COUNT(*) AS n FROM likes"),
    db.prepare("SELECT COUNT(*) AS n FROM comments"),
    db.prepare("SELECT COUNT(*) AS n FROM sessions WHERE expires_at > ?").bind(Date.now()),
  ];
  const results = await db.batch<Count>(statements);
  const [users, activeUsers, celebrities, pullSources, follows, posts, likes, comments, sessions] = results.map((r) => r.results[0]?.n ?? 0);
  return {
    users,
    activeUsers,
    celebrities,
    pullSources,
    follows,
    posts,
    likes,
    comments,
    sessions,
    config: {
      celebrityThreshold: config.celebrityThreshold,
      activeWindowDays: config.activeWindowMs / 86_400_000,
      timelineCap: config.timelineCap,
      fanoutBatchSize: config.fanoutBatchSize,
    },
    generatedAt: new Date().toISOString(),
  };
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  follower_count: number;
  following_count: number;
  is_pull_source: number;
  last_active_at: number;
  created_at: number;
  posts: number;
}

export const adminRoutes = new Hono<AppEnv>()
  .use(async function requireAdmin(c, next) {
    const expected = c.env.ADMIN_TOKEN;
    if (!expected) throw new ApiError(404, "NOT_FOUND", "No such API route.");
    const header = c.req.header("authorization");
    if (!header) throw new ApiError(401, "UNAUTHENTICATED", "The admin API needs Authorization: Bearer <ADMIN_TOKEN>.", undefined, { "WWW-Authenticate": 'Bearer realm="edgefeed-admin"' });
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match || !(await tokensEqual(match[1], expected))) throw new ApiError(403, "FORBIDDEN", "That admin token is not valid.");
    await next();
  })
  .get("/system", async (c) => c.json({ success: true as const, data: { system: await systemSummary(c.env) } }, 200))
  .get("/users/:username/state", async function userState(c) {
    const username = c.req.param("username").toLowerCase();
    const config = readConfig(c.env);
    const user = await writeSession(c.env.DB).prepare(
      `SELECT u.id, u.username, u.display_name, u.follower_count, u.following_count, u.is_pull_source, u.last_active_at, u.created_at,
              (SELECT COUNT(*) FROM posts p WHERE p.author_id = u.id) AS posts
       FROM users u WHERE u.username = ?`,
    )
      .bind(username)
      .first<UserRow>();
    if (!user) throw notFound("USER_NOT_FOUND", `User "${username}"`);
    const isCelebrity = user.follower_count >= config.celebrityThreshold;
    const [userFeed, celebrityFeed, system] = await Promise.all([
      c.env.USER_FEED.getByName(user.id).inspect(),
      isCelebrity || user.is_pull_source === 1 ? c.env.CELEBRITY_FEED.getByName(user.id).inspect() : Promise.resolve(null),
      systemSummary(c.env),
    ]);
    log("info", "admin inspect", { requestId: c.get("requestId"), userId: user.id });
    return c.json(
      {
        success: true as const,
        data: {
          user: {
            id: user.id,
            username: user.username,
            displayName: user.display_name,
            followerCount: user.follower_count,
            followingCount: user.following_count,
            postCount: user.posts,
            isCelebrity,
            isPullSource: user.is_pull_source === 1,
            lastActiveAt: user.last_active_at,
            activeWithinWindow: user.last_active_at >= Date.now() - config.activeWindowMs,
            createdAt: user.created_at,
          },
          userFeed,
          celebrityFeed,
          system,
        },
      },
      200,
    );
  })
  .post("/search/reindex", async function reindexSearch(c) {
    const parsed = reindexBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) throw new ApiError(400, "VALIDATION_ERROR", 'Body must be {"after"?: a user id, "limit"?: 1..1000}.');
    const started = Date.now();
    const page = await reindexSearchPage(writeSession(c.env.DB), parsed.data.after, parsed.data.limit);
    log("info", "search reindexed", { requestId: c.get("requestId"), ...page, durationMs: Date.now() - started });
    return c.json({ success: true as const, data: page }, 200);
  })
  .post("/timelines/rebuild", async function rebuildTimelines(c) {
    const parsed = rebuildBody.safeParse(await c.req.json());
    if (!parsed.success) throw new ApiError(400, "VALIDATION_ERROR", `Body must be {"userIds": [1..${REBUILD_MAX_USERS} ids]}.`);
    const started = Date.now();
    const results = await mapPool(parsed.data.userIds, REBUILD_CONCURRENCY, async (userId) => {
      try {
        return { userId, entries: await c.env.USER_FEED.getByName(userId).rebuildTimeline() };
      } catch (error) {
        log("warn", "timeline rebuild failed", { requestId: c.get("requestId"), userId, error: String(error) });
        return { userId, entries: -1, error: String(error) };
      }
    });
    const failed = results.filter((r) => r.entries < 0);
    const entries = results.reduce((sum, r) => sum + Math.max(0, r.entries), 0);
    log("info", "timelines rebuilt", {
      requestId: c.get("requestId"),
      users: results.length,
      failed: failed.length,
      entries,
      durationMs: Date.now() - started,
    });
    return c.json({ success: true as const, data: { rebuilt: results.length - failed.length, failed, entries, durationMs: Date.now() - started } }, 200);
  });
