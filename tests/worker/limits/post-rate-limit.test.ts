/**
 * The post rate limit (API.md: POST /posts → 429). It is enforced inside the author's UserFeed
 * (core/ops/posts.ts runs in the object), which reads its own bindings, so a test cannot lower
 * it per request with `app.fetch(req, { ...env, POST_RATE_LIMIT_PER_MINUTE })`; this project runs
 * with POST_RATE_LIMIT_PER_MINUTE=3 instead (vitest.config.ts, "worker-limits").
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expectRateLimited, freshMinuteWindow, keyed, signup } from "../helpers";

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
});
