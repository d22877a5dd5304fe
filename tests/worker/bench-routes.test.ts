/**
 * The bench-only routes (worker/routes/bench.ts) answer the envelope like every API route: a
 * missing or bad x-bench-cookie on /bench/feed-cost is a clean 4xx, never an inner 500. ADMIN_TOKEN
 * is "test-admin-token" here (vitest.config.ts), as the bench tests set it.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, signup } from "./helpers";

const feedCost = (headers: Record<string, string> = {}) =>
  exports.default.fetch(new Request(`${BASE}/api/v1/bench/feed-cost?mode=latest`, { headers: { authorization: "Bearer test-admin-token", ...headers } }));

describe("GET /bench/feed-cost", () => {
  it("without x-bench-cookie: 400 VALIDATION_ERROR in the envelope", async () => {
    const res = await feedCost();
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ success: false, error: { code: "VALIDATION_ERROR" } });
    expect(body.error.message).toContain("x-bench-cookie");
  });

  it("with a cookie that is no session: 401 UNAUTHENTICATED, the feed route's own answer", async () => {
    const res = await feedCost({ "x-bench-cookie": "ef_session=not-a-session" });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ success: false, error: { code: "UNAUTHENTICATED" } });
  });

  it("with a reader's session: the counted feed read", async () => {
    const reader = await signup();
    const res = await feedCost({ "x-bench-cookie": reader.cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.data.status).toBe(200);
    expect(body.data.worker.objectCalls).toBeGreaterThanOrEqual(1);
  });

  it("is 404 without the admin token", async () => {
    const res = await exports.default.fetch(new Request(`${BASE}/api/v1/bench/feed-cost`));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
  });
});

describe("POST /bench/rpc-loop and GET /bench/round-trips", () => {
  const admin = { authorization: "Bearer test-admin-token", "content-type": "application/json" };
  const rpcLoop = (body: unknown) => exports.default.fetch(new Request(`${BASE}/api/v1/bench/rpc-loop`, { method: "POST", headers: admin, body: JSON.stringify(body) }));

  it("an unknown call is 400; a write loop commits one row per call and answers the count", async () => {
    const author = await signup();
    const follower = await signup();
    expect((await follower.post(`/api/v1/users/${author.user.username}/follow`)).status).toBe(200);
    const bad = await rpcLoop({ from: author.user.id, followersOf: author.user.id, call: "deliver" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ success: false, error: { code: "VALIDATION_ERROR" } });
    const res = await rpcLoop({ from: author.user.id, followersOf: author.user.id, call: "benchWrite" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.calls).toBe(1);
    // The row it wrote: a second write counts on from the first.
    expect(await env.USER_FEED.getByName(follower.user.id).benchWrite()).toBe(2);
  });

  it("a body that is not JSON is 400, not 500", async () => {
    const res = await exports.default.fetch(new Request(`${BASE}/api/v1/bench/rpc-loop`, { method: "POST", headers: admin, body: "{" }));
    expect(res.status).toBe(400);
  });

  it("round trips are 404 on a server without BENCH_TRACE", async () => {
    const res = await exports.default.fetch(new Request(`${BASE}/api/v1/bench/round-trips`, { headers: admin }));
    expect(res.status).toBe(404);
  });
});
