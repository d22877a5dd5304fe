/**
 * Bench-only endpoints (tests/bench/run.mjs). Like the admin API they exist only when an
 * ADMIN_TOKEN is configured, and need `Authorization: Bearer $ADMIN_TOKEN`; otherwise 404.
 *
 *   POST /bench/rpc-loop   {from, followersOf, concurrency?, limit?, call?}: a bare loop of RPCs
 *                          from one UserFeed to the followers' UserFeeds, DELIVERY_CONCURRENCY in
 *                          flight unless told: no-op calls (the RPC ceiling), or with
 *                          call "benchWrite" calls that each commit one row (the write floor)
 *   GET  /bench/round-trips  the round trips recorded since the last call, then forgotten
 *                          (BENCH_TRACE=1 only: core/round-trips.ts; 404 otherwise)
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
import { DELIVERY_CONCURRENCY } from "../../core/config";
import { observeDb, observeNamespace } from "../../core/observed-bindings";
import { drainRoundTrips } from "../../core/round-trips";

export interface Counts {
  d1Statements: number;
  d1Calls: number;
  objectCalls: number;
  /** The start of each counted statement's SQL and each method called, in order. */
  trace?: string[];
}

/**
 * A D1Database whose statements and round trips are counted (core/observed-bindings.ts), in the
 * sessions it opens too; each session's opening is named in the trace with its constraint or
 * bookmark (core/d1.ts; tests/worker/d1-bookmarks.test.ts checks which one each read starts from).
 */
export function countingDb<T extends Pick<D1Database, "prepare" | "batch">>(db: T, counts: Counts): T {
  const observed = observeDb(db as unknown as D1Database, (call, run) => {
    if (call.kind === "d1") {
      counts.d1Statements += call.sql.length;
      counts.d1Calls += 1;
      counts.trace?.push(call.op === "batch" ? `D1 batch of ${call.sql.length}` : `D1 ${call.op}: ${call.sql[0].replace(/\s+/g, " ").slice(0, 70)}`);
    }
    return run();
  });
  return new Proxy(observed, {
    get(target, prop, receiver) {
      if (prop === "withSession")
        return (constraint?: string) => {
          counts.trace?.push(`D1 session ${constraint ?? "(none)"}`);
          return target.withSession(constraint);
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as unknown as T;
}

/** A namespace whose stubs count every RPC method call. */
export function countingNamespace<T extends DurableObjectNamespace<any>>(ns: T, counts: Counts): T {
  return observeNamespace(ns, "counted", (call, run) => {
    if (call.kind === "object") {
      counts.objectCalls += 1;
      counts.trace?.push(`RPC ${call.method}`);
    }
    return run();
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
    const body = (await c.req.json().catch(() => ({}))) as { from?: string; followersOf?: string; concurrency?: number; limit?: number; call?: string };
    if (typeof body.from !== "string" || typeof body.followersOf !== "string") throw new ApiError(400, "VALIDATION_ERROR", "from and followersOf are required.");
    const call = body.call ?? "noop";
    if (call !== "noop" && call !== "benchWrite") throw new ApiError(400, "VALIDATION_ERROR", 'call is "noop" or "benchWrite".');
    const limit = Math.min(Math.max(1, Number(body.limit ?? 5000) || 5000), 10_000);
    const { results } = await writeSession(c.env.DB).prepare("SELECT follower_id AS id FROM follows WHERE followee_id = ? ORDER BY follower_id LIMIT ?")
      .bind(body.followersOf, limit)
      .all<{ id: string }>();
    const started = Date.now();
    const loop = await c.env.USER_FEED.getByName(body.from).benchRpcLoop(
      results.map((r) => r.id),
      Math.min(Math.max(1, Number(body.concurrency ?? DELIVERY_CONCURRENCY) || DELIVERY_CONCURRENCY), 256),
      call,
    );
    return c.json({ success: true as const, data: { ...loop, workerMs: Date.now() - started } }, 200);
  })
  .get("/round-trips", (c) => {
    if (c.env.BENCH_TRACE !== "1") throw new ApiError(404, "NOT_FOUND", "Round trips are traced only on a server started with BENCH_TRACE=1.");
    return c.json({ success: true as const, data: drainRoundTrips() }, 200);
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
