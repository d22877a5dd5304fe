/**
 * The post rate limit (API.md: POST /posts → 429). It is enforced inside the author's UserFeed
 * (core/ops/posts.ts runs in the object), which reads its own bindings, so a test cannot lower
 * it per request with `app.fetch(req, { ...env, POST_RATE_LIMIT_PER_MINUTE })`; this project runs
 * with POST_RATE_LIMIT_PER_MINUTE=3 instead (vitest.config.ts, "worker-limits").
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { drainFanout, expectRateLimited, freshMinuteWindow, keyed, signup } from "../helpers";
import { countedRequest } from "../cost-helpers";
import { uploaded } from "../media-helpers";

async function postsOf(authorId: string): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM posts WHERE author_id = ?").bind(authorId).first<{ n: number }>())!.n;
}

describe("POST_RATE_LIMIT_PER_MINUTE=3", () => {
  it("the 4th post in a minute gets 429 RATE_LIMITED with Retry-After; shares count too; others unaffected", async () => {
    expect(env.POST_RATE_LIMIT_PER_MINUTE).toBe("3");
    const [me, other] = [await signup(), await signup()];
    await freshMinuteWindow(15_000);
    const first = await me.createPost("one");
    await me.createPost("two");
    await me.createPost("three");
    await drainFanout(me.user.id);
    const limited = await me.post("/api/v1/posts", { content: "four" }, keyed());
    expectRateLimited(limited);
    const share = await me.post(`/api/v1/posts/${first.id}/share`, {}, keyed());
    expect(share.status).toBe(429);
    expect(share.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await postsOf(me.user.id)).toBe(3);
    expect((await other.post("/api/v1/posts", { content: "mine" }, keyed())).status).toBe(201);
    // other mutations are not post-limited
    expect((await me.post(`/api/v1/posts/${first.id}/like`)).status).toBe(200);
  });

  it("a rate-limited request is not recorded under its key: the same key may be retried later", async () => {
    const me = await signup();
    await freshMinuteWindow(15_000);
    for (let i = 0; i < 3; i++) await me.createPost(`p${i}`);
    const headers = keyed();
    const limited = await me.post("/api/v1/posts", { content: "retry me" }, headers);
    expect(limited.status).toBe(429);
    const again = await me.post("/api/v1/posts", { content: "retry me" }, headers);
    expect(again.status).toBe(429);
    // evaluated again (still limited), not a stored 429 replayed
    expect(again.headers.get("x-idempotency-replayed")).toBeNull();
    const records = (await env.USER_FEED.getByName(me.user.id).inspect()).idempotency.newest;
    expect(records.some((r: { key: string }) => r.key === headers["X-Idempotency-Key"])).toBe(false);
  });

  it("the limit is counted in the post's own batch: one D1 round trip; a limited post takes nothing (its upload stays unposted)", async () => {
    const me = await signup();
    const image = await uploaded(me);
    await freshMinuteWindow(20_000);
    await me.createPost("warm-up: the object confirms the session once");
    await drainFanout(me.user.id);
    const counted = await countedRequest(me, me.user.id, "POST", "/api/v1/posts", { content: "two" }, keyed());
    expect(counted.status).toBe(201);
    const fanout = counted.object.trace!.filter((t) => t.startsWith("D1 all: WITH viewers")).length;
    expect(counted.object.d1Calls - fanout).toBe(1); // the counter and the post, one batch
    expect(counted.worker.d1Calls).toBe(0);
    await me.createPost("three");
    await drainFanout(me.user.id);
    const limited = await countedRequest(me, me.user.id, "POST", "/api/v1/posts", { content: "four", media: [{ id: image.id, alt: "a" }] }, keyed());
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.object.d1Calls, JSON.stringify(limited.object.trace)).toBe(1);
    expect(await postsOf(me.user.id)).toBe(3);
    const row = await env.DB.prepare("SELECT post_id FROM media WHERE id = ?").bind(image.id).first<{ post_id: string | null }>();
    expect(row?.post_id).toBeNull();
  });
});

describe("a post refused by the limit changes nothing but the counter", () => {
  it("an author past the celebrity threshold is not flagged a pull source by a refused post", async () => {
    const me = await signup();
    await freshMinuteWindow(15_000);
    for (let i = 0; i < 3; i++) await me.createPost(`p${i}`);
    await drainFanout(me.user.id);
    // Past the threshold only now, so only a later post's own batch would set the flag.
    await env.DB.prepare("UPDATE users SET follower_count = ? WHERE id = ?").bind(Number(env.CELEBRITY_THRESHOLD) + 1, me.user.id).run();
    expectRateLimited(await me.post("/api/v1/posts", { content: "refused" }, keyed()));
    const flag = await env.DB.prepare("SELECT is_pull_source AS f FROM users WHERE id = ?").bind(me.user.id).first<{ f: number }>();
    expect(flag!.f).toBe(0);
    expect(await postsOf(me.user.id)).toBe(3);
  });
});
