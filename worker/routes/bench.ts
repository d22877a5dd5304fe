/**
 * Bench-only endpoints (tests/bench/run.mjs). Like the admin API they exist only when an
 * ADMIN_TOKEN is configured, and need `Authorization: Bearer $ADMIN_TOKEN`; otherwise 404.
 *
 *   POST /bench/rpc-loop   {from, followersOf, concurrency?, limit?}: a bare loop of no-op RPCs
 *                          from one UserFeed to the followers' UserFeeds (the RPC ceiling)
 *   GET  /bench/users/:id  the jobs, timeline size and sockets of a user's UserFeed
 *   GET  /bench/celebrities/:id  a CelebrityFeed's outbox size and leases
 *   GET  /bench/feed-d1?userId&mode&n  D1's own time (meta.duration) of that reader's first feed
 *                          page statement, median of n reads (the object's D1 binding timed)
 *   GET  /bench/feed-cost?... the home feed read as the route does it, with the worker's D1
 *                          statements and object calls counted (the object's own share is
 *                          counted in tests/worker/hardening-cost.test.ts)
 */
import { writeSession } from "../../core/d1";
import { Hono } from "hono";
import { ApiError } from "../../core/errors";
import type { AppEnv } from "../types";
import { feedRoutes } from "./feed";

export interface Counts {
  d1Statements: number;
  d1Calls: number;
  objectCalls: number;
  /** The start of each counted statement's SQL and each method called, in order. */
  trace?: string[];
}

/** A D1Database whose statements and round trips are counted (in the sessions it opens too: core/d1.ts). */
export function countingDb<T extends Pick<D1Database, "prepare" | "batch">>(db: T, counts: Counts): T {
  const wrapStatement = (statement: D1PreparedStatement, sql: string): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => wrapStatement(value.apply(target, args), sql);
        if (prop === "first" || prop === "all" || prop === "run" || prop === "raw")
          return (...args: unknown[]) => {
            counts.d1Statements += 1;
            counts.d1Calls += 1;
            counts.trace?.push(`D1 ${String(prop)}: ${sql.replace(/\s+/g, " ").slice(0, 70)}`);
            return value.apply(target, args);
          };
        return value.bind(target);
      },
    });
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "prepare") return (sql: string) => wrapStatement(value.call(target, sql), sql);
      if (prop === "batch")
        return (statements: D1PreparedStatement[]) => {
          counts.d1Statements += statements.length;
          counts.d1Calls += 1;
          counts.trace?.push(`D1 batch of ${statements.length}`);
          return value.call(target, statements);
        };
      if (prop === "withSession")
        return (constraint?: string) => {
          counts.trace?.push(`D1 session ${constraint ?? "(none)"}`);
          return countingDb(value.call(target, constraint), counts);
        };
      return value.bind(target);
    },
  });
}

/** A namespace whose stubs count every RPC method call. */
export function countingNamespace<T extends DurableObjectNamespace<any>>(ns: T, counts: Counts): T {
  return new Proxy(ns, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== "getByName" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
      return (name: string) => {
        const stub = value.call(target, name);
        return new Proxy(stub, {
          get(s, method) {
            const fn = Reflect.get(s, method);
            if (typeof fn !== "function") return fn;
            return (...args: unknown[]) => {
              counts.objectCalls += 1;
              counts.trace?.push(`RPC ${String(method)}`);
              // Reflect.apply: `fn.apply` would be looked up as an RPC method of the stub.
              return Reflect.apply(fn, s, args);
            };
          },
        });
      };
    },
  });
}

/**
 * The feed routes on their own, for /feed-cost. Fetched directly they would turn any error (an
 * expired cookie's 401) into Hono's bare 500; rethrown, it reaches the app's handler and answers
 * the caller as the envelope it is.
 */
const measuredFeed = new Hono<AppEnv>().route("/", feedRoutes).onError((error) => {
  throw error;
});

export const benchRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    const token = c.env.ADMIN_TOKEN;
    if (!token || c.req.header("authorization") !== `Bearer ${token}`) throw new ApiError(404, "NOT_FOUND", "No such API route.");
    await next();
  })
  .post("/rpc-loop", async (c) => {
    const body = (await c.req.json()) as { from?: string; followersOf?: string; concurrency?: number; limit?: number };
    if (typeof body.from !== "string" || typeof body.followersOf !== "string") throw new ApiError(400, "VALIDATION_ERROR", "from and followersOf are required.");
    const limit = Math.min(Math.max(1, Number(body.limit ?? 5000)), 10_000);
    const { results } = await writeSession(c.env.DB).prepare("SELECT follower_id AS id FROM follows WHERE followee_id = ? ORDER BY follower_id LIMIT ?")
      .bind(body.followersOf, limit)
      .all<{ id: string }>();
    const started = Date.now();
    const loop = await c.env.USER_FEED.getByName(body.from).benchRpcLoop(
      results.map((r) => r.id),
      Math.min(Math.max(1, Number(body.concurrency ?? 32)), 256),
    );
    return c.json({ success: true as const, data: { ...loop, workerMs: Date.now() - started } }, 200);
  })
  .get("/users/:id", async (c) => {
    const state = await c.env.USER_FEED.getByName(c.req.param("id")).inspect();
    return c.json(
      {
        success: true as const,
        data: {
          jobs: state.jobs.length,
          jobsDelivered: state.jobs.reduce((n, j) => n + j.delivered, 0),
          timelineSize: state.timeline.size,
          timelineNewest: state.timeline.newest.map((e) => e.postId),
          sockets: state.sockets.length,
        },
      },
      200,
    );
  })
  .get("/celebrities/:id", async (c) => {
    const state = await c.env.CELEBRITY_FEED.getByName(c.req.param("id")).inspect();
    return c.json({ success: true as const, data: { outboxSize: state.outboxSize, leases: state.leases.length } }, 200);
  })
  .get("/feed-d1", async (c) => {
    // D1's time (meta.duration) of a reader's feed page statement, median of `n` first-page reads.
    const userId = c.req.query("userId");
    const mode = c.req.query("mode") === "latest" ? "latest" : "ranked";
    if (!userId) throw new ApiError(400, "VALIDATION_ERROR", "userId is required.");
    const n = Math.min(Math.max(1, Number(c.req.query("n") ?? 50) || 50), 500);
    const data = await c.env.USER_FEED.getByName(userId).benchFeedD1({ mode, limit: 20 }, n);
    return c.json({ success: true as const, data }, 200);
  })
  .get("/feed-cost", async (c) => {
    const cookie = c.req.header("x-bench-cookie");
    if (!cookie) throw new ApiError(400, "VALIDATION_ERROR", "x-bench-cookie is required: the session cookie of the reader whose feed is measured.");
    const counts: Counts = { d1Statements: 0, d1Calls: 0, objectCalls: 0 };
    const env: Env = { ...c.env, DB: countingDb(c.env.DB, counts), USER_FEED: countingNamespace(c.env.USER_FEED, counts) };
    const url = new URL(c.req.url);
    const res = await measuredFeed.fetch(new Request(`${url.origin}/${url.search}`, { headers: { cookie } }), env, c.executionCtx);
    return c.json({ success: true as const, data: { status: res.status, worker: counts } }, 200);
  });
