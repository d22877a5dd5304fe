/**
 * Hardening: idempotency under load. 100 concurrent requests with one key execute once: one post,
 * 100 identical bodies, 99 marked replayed. Then the same for a comment, and a key reused with a
 * different body while the first is in flight.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { drainFanout, profilePostIds, signup } from "./helpers";

const N = 100;

describe("idempotency under load", () => {
  it(`${N} concurrent retries of one POST /posts key make one post with identical bodies`, async () => {
    const author = await signup();
    const follower = await signup();
    await follower.follow(author.user.username);
    const key = `load-${crypto.randomUUID()}`;
    const body = { content: "exactly once, whatever the retries" };
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: N }, () => author.post("/api/v1/posts", body, { "X-Idempotency-Key": key })));
    const elapsed = Date.now() - started;
    expect(results.map((r) => r.status)).toEqual(Array(N).fill(201));
    const bodies = new Set(results.map((r) => JSON.stringify(r.body)));
    expect(bodies.size).toBe(1);
    const replayed = results.filter((r) => r.headers.get("X-Idempotency-Replayed") === "true").length;
    expect(replayed).toBe(N - 1);
    const postId = results[0].data.post.id;
    // One row in D1, one entry on the profile, one fan-out: the follower's feed holds it once.
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM posts WHERE author_id = ? AND content = ?").bind(author.user.id, body.content).first<{ n: number }>();
    expect(rows?.n).toBe(1);
    expect(await profilePostIds(author, author.user.username)).toEqual([postId]);
    await drainFanout(author.user.id);
    const feed = await follower.wholeFeed("latest", 10);
    expect(feed.filter((p) => p.id === postId)).toHaveLength(1);
    console.log(`HARDENING idempotency: ${N} concurrent retries -> 1 post, ${bodies.size} distinct body, ${replayed} replayed, ${elapsed} ms`);
  });

  it(`${N} concurrent retries of one comment key make one comment`, async () => {
    const author = await signup();
    const post = await author.createPost("comment on me");
    const key = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: N }, () => author.post(`/api/v1/posts/${post.id}/comments`, { content: "once" }, { "X-Idempotency-Key": key })),
    );
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM comments WHERE post_id = ?").bind(post.id).first<{ n: number }>();
    expect(count?.n).toBe(1);
    const again = await author.get(`/api/v1/posts/${post.id}`);
    expect(again.data.post.commentCount).toBe(1);
  });

  it("one key with two different bodies at once: one executes, the other is refused or replays the first, never a second post", async () => {
    const author = await signup();
    const key = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => author.post("/api/v1/posts", { content: i % 2 === 0 ? "body A" : "body B" }, { "X-Idempotency-Key": key })),
    );
    for (const r of results) expect([201, 422]).toContain(r.status);
    const created = results.filter((r) => r.status === 201);
    expect(new Set(created.map((r) => r.data.post.id)).size).toBe(1);
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM posts WHERE author_id = ?").bind(author.user.id).first<{ n: number }>();
    expect(n?.n).toBe(1);
  });
});
