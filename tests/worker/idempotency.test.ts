/**
 * API.md "Idempotency": replay (same status and body, X-Idempotency-Replayed, nothing changes),
 * key reuse with another body (422), concurrency (one execution), the IETF header name, scope per
 * user and route, and the other mutations (likes, follows, comments, shares) honouring a key.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { drainFanout, inUserFeed, keyed, profilePostIds, signup, signupMany } from "./helpers";

async function count(sql: string, ...binds: unknown[]): Promise<number> {
  return (await env.DB.prepare(sql).bind(...binds).first<{ n: number }>())!.n;
}
const postsOf = (authorId: string) => count("SELECT COUNT(*) AS n FROM posts WHERE author_id = ?", authorId);

describe("replay", () => {
  it("the same key and body returns the first status and body with X-Idempotency-Replayed: true, creating nothing", async () => {
    const me = await signup();
    const headers = keyed("post-once");
    const first = await me.post("/api/v1/posts", { content: "exactly once" }, headers);
    expect(first.status).toBe(201);
    expect(first.headers.get("x-idempotency-replayed")).toBeNull();
    const second = await me.post("/api/v1/posts", { content: "exactly once" }, headers);
    expect(second.status).toBe(201);
    expect(second.headers.get("x-idempotency-replayed")).toBe("true");
    expect(second.body).toEqual(first.body);
    // Key order in the body does not make it a different request.
    const reordered = await me.post("/api/v1/posts", '{"privacy":"public","content":"exactly once"}', headers);
    expect(reordered.status).toBe(201);
    expect(reordered.body).toEqual(first.body);
    expect(await postsOf(me.user.id)).toBe(1);
    expect(await profilePostIds(me, me.user.username)).toEqual([first.data.post.id]);
    // Even after the post changed, the replay is the first response.
    await me.post(`/api/v1/posts/${first.data.post.id}/like`);
    const third = await me.post("/api/v1/posts", { content: "exactly once" }, headers);
    expect(third.body).toEqual(first.body);
    expect(third.data.post.likeCount).toBe(0);
  });

  it("a replay creates no second fan-out: followers get the post once", async () => {
    const [author, fan] = await signupMany(2, "rf");
    await fan.follow(author.user.username);
    const headers = keyed();
    const first = await author.post("/api/v1/posts", { content: "fan out once" }, headers);
    await author.post("/api/v1/posts", { content: "fan out once" }, headers);
    await drainFanout(author.user.id);
    const feed = await fan.wholeFeed("latest");
    expect(feed.filter((p) => p.id === first.data.post.id)).toHaveLength(1);
    const inspect = await env.USER_FEED.getByName(author.user.id).inspect();
    expect(inspect.jobs).toEqual([]);
  });

  it("client errors replay too (same status and code)", async () => {
    const me = await signup();
    const headers = keyed();
    const first = await me.post("/api/v1/posts/01ZZZZZZZZZZZZZZZZZZZZZZZZ/comments", { content: "into the void" }, headers);
    expect(first.status).toBe(404);
    const again = await me.post("/api/v1/posts/01ZZZZZZZZZZZZZZZZZZZZZZZZ/comments", { content: "into the void" }, headers);
    expect(again.status).toBe(404);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("x-idempotency-replayed")).toBe("true");
  });
});

describe("key reuse", () => {
  it("422 IDEMPOTENCY_KEY_REUSED for the same key with a different body; nothing is created", async () => {
    const me = await signup();
    const headers = keyed();
    const first = await me.post("/api/v1/posts", { content: "original" }, headers);
    expect(first.status).toBe(201);
    const reused = await me.post("/api/v1/posts", { content: "different" }, headers);
    expect(reused.status).toBe(422);
    expect(reused.code).toBe("IDEMPOTENCY_KEY_REUSED");
    const privacy = await me.post("/api/v1/posts", { content: "original", privacy: "friends" }, headers);
    expect(privacy.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await postsOf(me.user.id)).toBe(1);
    // the original still replays
    expect((await me.post("/api/v1/posts", { content: "original" }, headers)).body).toEqual(first.body);
  });
});

describe("concurrency", () => {
  it("20 concurrent requests with one key: exactly one post, identical bodies", async () => {
    const [me, fan] = await signupMany(2, "cc");
    await fan.follow(me.user.username);
    const headers = keyed();
    const results = await Promise.all(Array.from({ length: 20 }, () => me.post("/api/v1/posts", { content: "stampede" }, headers)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const bodies = new Set(results.map((r) => JSON.stringify(r.body)));
    expect(bodies.size).toBe(1);
    expect(results.filter((r) => r.headers.get("x-idempotency-replayed") === "true")).toHaveLength(19);
    expect(await postsOf(me.user.id)).toBe(1);
    expect(await profilePostIds(me, me.user.username)).toEqual([results[0].data.post.id]);
    await drainFanout(me.user.id);
    expect((await fan.wholeFeed("latest")).map((p) => p.id)).toEqual([results[0].data.post.id]);
  });

  it("20 concurrent comments with one key: one comment, commentCount 1", async () => {
    const [author, fan] = await signupMany(2, "cc");
    const post = await author.createPost("one reply");
    const headers = keyed();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => fan.post(`/api/v1/posts/${post.id}/comments`, { content: "me first" }, headers)),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.data.comment.id)).size).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM comments WHERE post_id = ?", post.id)).toBe(1);
    expect((await author.get(`/api/v1/posts/${post.id}`)).data.post.commentCount).toBe(1);
  });

  it("concurrent requests with one key but different bodies: one runs, the others get 422", async () => {
    const me = await signup();
    const headers = keyed();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => me.post("/api/v1/posts", { content: `variant ${i % 2}` }, headers)));
    const created = results.filter((r) => r.status === 201);
    expect(new Set(created.map((r) => r.data.post.id)).size).toBe(1);
    for (const r of results) {
      if (r.status !== 201) expect(r.code).toBe("IDEMPOTENCY_KEY_REUSED");
    }
    expect(await postsOf(me.user.id)).toBe(1);
  });
});

describe("header names and scope", () => {
  it("accepts the IETF draft's Idempotency-Key header name", async () => {
    const me = await signup();
    const first = await me.post("/api/v1/posts", { content: "ietf" }, { "Idempotency-Key": "ietf-key-1" });
    expect(first.status).toBe(201);
    const again = await me.post("/api/v1/posts", { content: "ietf" }, { "Idempotency-Key": "ietf-key-1" });
    expect(again.headers.get("x-idempotency-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    // And the same key under either name is the same key.
    const viaX = await me.post("/api/v1/posts", { content: "ietf" }, { "X-Idempotency-Key": "ietf-key-1" });
    expect(viaX.body).toEqual(first.body);
    expect(await postsOf(me.user.id)).toBe(1);
    expect((await me.post("/api/v1/posts", { content: "bad" }, { "Idempotency-Key": "x".repeat(300) })).code).toBe("INVALID_IDEMPOTENCY_KEY");
  });

  it("keys are scoped per user: two users with one key each get their own post", async () => {
    const [a, b] = await signupMany(2, "sc");
    const headers = keyed("shared-key");
    const ra = await a.post("/api/v1/posts", { content: "same words" }, headers);
    const rb = await b.post("/api/v1/posts", { content: "same words" }, headers);
    expect(ra.status).toBe(201);
    expect(rb.status).toBe(201);
    expect(rb.headers.get("x-idempotency-replayed")).toBeNull();
    expect(ra.data.post.id).not.toBe(rb.data.post.id);
    expect(rb.data.post.authorId).toBe(b.user.id);
  });

  it("keys are scoped per route: one key on two routes runs both", async () => {
    const [author, fan] = await signupMany(2, "sc");
    const p1 = await author.createPost("one");
    const p2 = await author.createPost("two");
    const headers = keyed("route-key");
    const c1 = await fan.post(`/api/v1/posts/${p1.id}/comments`, { content: "same" }, headers);
    const c2 = await fan.post(`/api/v1/posts/${p2.id}/comments`, { content: "same" }, headers);
    const own = await fan.post("/api/v1/posts", { content: "same" }, headers);
    expect([c1.status, c2.status, own.status]).toEqual([201, 201, 201]);
    expect(c1.data.comment.id).not.toBe(c2.data.comment.id);
    expect(c2.headers.get("x-idempotency-replayed")).toBeNull();
  });
});

describe("other mutations honour a key", () => {
  it("like: a replay returns the first response and changes nothing (an unlike in between stays)", async () => {
    const [author, fan] = await signupMany(2, "ol");
    const post = await author.createPost("like me");
    const headers = keyed();
    const first = await fan.post(`/api/v1/posts/${post.id}/like`, undefined, headers);
    expect(first.data).toEqual({ liked: true, likeCount: 1 });
    expect((await fan.del(`/api/v1/posts/${post.id}/like`)).data).toEqual({ liked: false, likeCount: 0 });
    const replay = await fan.post(`/api/v1/posts/${post.id}/like`, undefined, headers);
    expect(replay.headers.get("x-idempotency-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    expect((await fan.get(`/api/v1/posts/${post.id}`)).data.post).toMatchObject({ likeCount: 0, isLiked: false });
  });

  it("follow: a replay returns the first response and does not re-follow", async () => {
    const [a, b] = await signupMany(2, "of");
    const headers = keyed();
    const first = await a.post(`/api/v1/users/${b.user.username}/follow`, undefined, headers);
    expect(first.data).toEqual({ following: true, followerCount: 1 });
    await a.del(`/api/v1/users/${b.user.username}/follow`);
    const replay = await a.post(`/api/v1/users/${b.user.username}/follow`, undefined, headers);
    expect(replay.headers.get("x-idempotency-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    const profile = await a.get(`/api/v1/users/${b.user.username}`);
    expect(profile.data.user).toMatchObject({ isFollowing: false, followerCount: 0 });
  });

  it("share and edit: replays return the first response; share counts once", async () => {
    const [author, sharer] = await signupMany(2, "os");
    const post = await author.createPost("share me");
    const headers = keyed();
    const first = await sharer.post(`/api/v1/posts/${post.id}/share`, { content: "+1" }, headers);
    const again = await sharer.post(`/api/v1/posts/${post.id}/share`, { content: "+1" }, headers);
    expect(again.body).toEqual(first.body);
    expect((await author.get(`/api/v1/posts/${post.id}`)).data.post.shareCount).toBe(1);
    expect(await postsOf(sharer.user.id)).toBe(1);

    const editKey = keyed();
    const e1 = await author.patch(`/api/v1/posts/${post.id}`, { content: "edited once" }, editKey);
    await author.patch(`/api/v1/posts/${post.id}`, { content: "edited twice" });
    const e2 = await author.patch(`/api/v1/posts/${post.id}`, { content: "edited once" }, editKey);
    expect(e2.body).toEqual(e1.body);
    expect((await author.get(`/api/v1/posts/${post.id}`)).data.post.content).toBe("edited twice");
    expect((await author.patch(`/api/v1/posts/${post.id}`, { content: "other" }, editKey)).code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("a bad key on a mutation that does not require one is still refused", async () => {
    const [a, b] = await signupMany(2, "ob");
    const res = await a.post(`/api/v1/users/${b.user.username}/follow`, undefined, { "X-Idempotency-Key": "k".repeat(256) });
    expect(res.status).toBe(400);
    expect(res.code).toBe("INVALID_IDEMPOTENCY_KEY");
    expect((await a.get(`/api/v1/users/${b.user.username}`)).data.user.isFollowing).toBe(false);
  });
});

describe("expiry", () => {
  it("records are kept 24 hours: after that the alarm drops them and the key runs again", async () => {
    const me = await signup();
    const headers = keyed();
    const first = await me.post("/api/v1/posts", { content: "day one" }, headers);
    await drainFanout(me.user.id);
    expect((await me.post("/api/v1/posts", { content: "day one" }, headers)).headers.get("x-idempotency-replayed")).toBe("true");
    const stub = env.USER_FEED.getByName(me.user.id);
    const alarm = (await stub.inspect()).alarm as number;
    // an alarm is set for the record's expiry, about 24 h after it was written
    expect(alarm - Date.parse(first.data.post.createdAt)).toBeGreaterThan(23.9 * 3_600_000);
    // 24 h pass: age the record, then let the alarm run
    await inUserFeed(me.user.id, (_i, state) => void state.storage.sql.exec("UPDATE idempotency SET created_at = created_at - ?", 24 * 3_600_000 + 1000));
    await runDurableObjectAlarm(stub);
    expect((await stub.inspect()).idempotency.count).toBe(0);
    const later = await me.post("/api/v1/posts", { content: "day one" }, headers);
    expect(later.status).toBe(201);
    expect(later.headers.get("x-idempotency-replayed")).toBeNull();
    expect(later.data.post.id).not.toBe(first.data.post.id);
  });
});
