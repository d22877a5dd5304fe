/**
 * Hardening: the cost of a feed read, counted (not assumed). The worker's D1 statements and object
 * calls are counted by running the app with counting bindings; the viewer's UserFeed's D1 calls by
 * swapping its DB binding for a counting one. The design's budget: one object call, and one D1
 * round trip in the object. The session is checked in the object (worker/lib/session.ts): the
 * worker makes no D1 call, and the object looks a session up in D1 once, on its first read.
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { countingDb, countingNamespace, type Counts } from "../../worker/routes/bench";
import { BASE, drainFanout, inUserFeed, signup } from "./helpers";

async function countedRead(viewer: { cookie: string; user: { id: string } }, query: string) {
  const worker: Counts = { d1Statements: 0, d1Calls: 0, objectCalls: 0, trace: [] };
  const object: Counts = { d1Statements: 0, d1Calls: 0, objectCalls: 0, trace: [] };
  const realDb = env.DB;
  await inUserFeed(viewer.user.id, (instance) => {
    (instance as unknown as { env: typeof env }).env.DB = countingDb(realDb, object);
  });
  try {
    // `env` is shared with the object (its DB is now the object-counting one): the worker counts on the real DB.
    const countingEnv = { ...env, DB: countingDb(realDb, worker), USER_FEED: countingNamespace(env.USER_FEED, worker) };
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${BASE}/api/v1/feed${query}`, { headers: { cookie: viewer.cookie } }), countingEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    return { worker, object, body: (await res.json()) as any };
  } finally {
    await inUserFeed(viewer.user.id, (instance) => {
      (instance as unknown as { env: typeof env }).env.DB = realDb;
    });
  }
}

describe("cost per feed read", () => {
  it("one object call, one D1 round trip in the object, no D1 call in the worker", async () => {
    const viewer = await signup();
    const authors = await Promise.all(Array.from({ length: 3 }, () => signup()));
    for (const a of authors) await viewer.follow(a.user.username);
    const star = await signup();
    const fans = await Promise.all(Array.from({ length: 5 }, () => signup()));
    for (const f of [...fans, viewer]) await f.follow(star.user.username);
    for (const a of [...authors, star]) {
      for (let i = 0; i < 3; i++) await a.createPost(`post ${i}`);
      await drainFanout(a.user.id);
    }
    // The first read of a session marks activity (hourly) and checks the session in D1 once (then
    // the object knows it); measure steady-state reads after it.
    await viewer.get("/api/v1/feed");
    const out: Record<string, unknown> = {};
    for (const [name, query] of [
      ["ranked first page", "?mode=ranked&limit=5"],
      ["latest first page", "?mode=latest&limit=5"],
    ] as const) {
      const { worker, object, body } = await countedRead(viewer, query);
      console.log(`HARDENING cost trace ${name}: worker ${JSON.stringify(worker.trace)} object ${JSON.stringify(object.trace)}`);
      expect(body.data.posts.length).toBe(5);
      expect(worker.objectCalls).toBe(1);
      expect(worker.d1Calls).toBe(0); // the signed cookie names the user; the object checks the session
      expect(object.d1Calls).toBe(1); // candidates, ranking (with affinity) and hydration in one statement
      expect(object.d1Statements).toBe(1);
      out[name] = { objectCalls: worker.objectCalls, workerD1: worker.d1Calls, objectD1Calls: object.d1Calls, objectD1Statements: object.d1Statements };
      // A later page too.
      if (body.data.pagination.nextCursor) {
        const next = await countedRead(viewer, `?limit=5&cursor=${encodeURIComponent(body.data.pagination.nextCursor)}`);
        expect(next.worker.objectCalls).toBe(1);
        expect(next.object.d1Calls).toBe(1);
        out[`${name} -> next page`] = { objectCalls: next.worker.objectCalls, workerD1: next.worker.d1Calls, objectD1Calls: next.object.d1Calls, objectD1Statements: next.object.d1Statements };
      }
    }
    console.log(`HARDENING cost ${JSON.stringify(out)}`);
  });
});
