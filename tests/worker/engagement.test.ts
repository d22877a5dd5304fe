/**
 * API.md "engagement": likes (idempotent, exact counts under concurrency), comments (1–2000
 * characters, paged oldest first), and the counts they move.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { duplicates, keyed, signup, signupMany } from "./helpers";

async function likeRows(postId: string): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM likes WHERE post_id = ?").bind(postId).first<{ n: number }>())!.n;
}

describe("POST/DELETE /posts/:id/like", () => {
  it("like: 200 {liked: true, likeCount}; again: same count; unlike: {liked: false}; again: same", async () => {
    const [author, fan] = await signupMany(2, "lk");
    const post = await author.createPost("likeable");
    const like = await fan.post(`/api/v1/posts/${post.id}/like`);
    expect(like.status).toBe(200);
    expect(like.data).toEqual({ liked: true, likeCount: 1 });
    expect((await fan.post(`/api/v1/posts/${post.id}/like`)).data).toEqual({ liked: true, likeCount: 1 });
    expect((await fan.get(`/api/v1/posts/${post.id}`)).data.post).toMatchObject({ likeCount: 1, isLiked: true });
    const unlike = await fan.del(`/api/v1/posts/${post.id}/like`);
    expect(unlike.status).toBe(200);
    expect(unlike.data).toEqual({ liked: false, likeCount: 0 });
    expect((await fan.del(`/api/v1/posts/${post.id}/like`)).data).toEqual({ liked: false, likeCount: 0 });
    expect((await fan.get(`/api/v1/posts/${post.id}`)).data.post).toMatchObject({ likeCount: 0, isLiked: false });
    // Authors may like their own posts.
    expect((await author.post(`/api/v1/posts/${post.id}/like`)).data).toEqual({ liked: true, likeCount: 1 });
    expect(await likeRows(post.id)).toBe(1);
  });

  it("exact counts under 20 concurrent likes from different users, then 20 concurrent unlikes", async () => {
    const author = await signup();
    const post = await author.createPost("viral");
    const fans = await signupMany(20, "cl");
    const likes = await Promise.all(fans.map((f) => f.post(`/api/v1/posts/${post.id}/like`)));
    expect(likes.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(likes.every((r) => r.data.liked === true)).toBe(true);
    // Every response saw a count between 1 and 20, and together they saw each value at most once
    // per increment (no lost update): the final count is exactly 20.
    const seen = likes.map((r) => r.data.likeCount);
    expect(Math.max(...seen)).toBe(20);
    expect(seen.every((n) => n >= 1 && n <= 20)).toBe(true);
    expect((await author.get(`/api/v1/posts/${post.id}`)).data.post.likeCount).toBe(20);
    expect(await likeRows(post.id)).toBe(20);

    // The same users liking again at once (idempotent) plus unliking: the count tracks the rows.
    const again = await Promise.all(fans.map((f) => f.post(`/api/v1/posts/${post.id}/like`)));
    expect(again.every((r) => r.data.likeCount === 20)).toBe(true);
    const unlikes = await Promise.all(fans.map((f) => f.del(`/api/v1/posts/${post.id}/like`)));
    expect(unlikes.every((r) => r.status === 200 && r.data.liked === false)).toBe(true);
    expect((await author.get(`/api/v1/posts/${post.id}`)).data.post.likeCount).toBe(0);
    expect(await likeRows(post.id)).toBe(0);
  });

  it("one user liking 10 times at once counts once", async () => {
    const [author, fan] = await signupMany(2, "l1");
    const post = await author.createPost("once");
    const results = await Promise.all(Array.from({ length: 10 }, () => fan.post(`/api/v1/posts/${post.id}/like`)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect((await author.get(`/api/v1/posts/${post.id}`)).data.post.likeCount).toBe(1);
    expect(await likeRows(post.id)).toBe(1);
  });

  it("404 POST_NOT_FOUND liking or unliking an unknown post", async () => {
    const me = await signup();
    for (const method of ["POST", "DELETE"]) {
      const res = await me.request(method, "/api/v1/posts/01ZZZZZZZZZZZZZZZZZZZZZZZZ/like");
      expect(res.status).toBe(404);
      expect(res.code).toBe("POST_NOT_FOUND");
    }
  });
});

describe("comments", () => {
  it("POST: 201 {comment}; commentCount moves; content trimmed to 1–2000 characters", async () => {
    const [author, fan] = await signupMany(2, "cm");
    const post = await author.createPost("discuss");
    const res = await fan.post(`/api/v1/posts/${post.id}/comments`, { content: "first!" }, keyed());
    expect(res.status).toBe(201);
    expect(res.data.comment).toMatchObject({
      postId: post.id,
      userId: fan.user.id,
      user: { id: fan.user.id, username: fan.user.username },
      content: "first!",
    });
    expect(typeof res.data.comment.id).toBe("string");
    expect((await fan.get(`/api/v1/posts/${post.id}`)).data.post.commentCount).toBe(1);

    const max = await fan.post(`/api/v1/posts/${post.id}/comments`, { content: "c".repeat(2000) }, keyed());
    expect(max.status).toBe(201);
    const one = await fan.post(`/api/v1/posts/${post.id}/comments`, { content: "k" }, keyed());
    expect(one.status).toBe(201);
    for (const content of ["", "   ", "c".repeat(2001)]) {
      const bad = await fan.post(`/api/v1/posts/${post.id}/comments`, { content }, keyed());
      expect(bad.status, `${content.length} chars`).toBe(400);
      expect(bad.code).toBe("VALIDATION_ERROR");
    }
    for (const body of [{}, { content: 3 }, { content: null }]) {
      expect((await fan.post(`/api/v1/posts/${post.id}/comments`, body, keyed())).status).toBe(400);
    }
    expect((await fan.get(`/api/v1/posts/${post.id}`)).data.post.commentCount).toBe(3);
  });

  it("POST needs an idempotency key; 404 POST_NOT_FOUND for an unknown post", async () => {
    const [author, fan] = await signupMany(2, "cm");
    const post = await author.createPost("keys");
    const missing = await fan.post(`/api/v1/posts/${post.id}/comments`, { content: "hi" });
    expect(missing.status).toBe(400);
    expect(missing.code).toBe("MISSING_IDEMPOTENCY_KEY");
    expect((await fan.post(`/api/v1/posts/${post.id}/comments`, { content: "hi" }, { "X-Idempotency-Key": "é".repeat(3) })).code).toBe(
      "INVALID_IDEMPOTENCY_KEY",
    );
    const unknown = await fan.post("/api/v1/posts/01ZZZZZZZZZZZZZZZZZZZZZZZZ/comments", { content: "hi" }, keyed());
    expect(unknown.status).toBe(404);
    expect(unknown.code).toBe("POST_NOT_FOUND");
    expect((await fan.get(`/api/v1/posts/${post.id}`)).data.post.commentCount).toBe(0);
  });

  it("GET: 200 {comments, pagination}, oldest first, every comment once across pages, also while comments arrive", async () => {
    const [author, a, b] = await signupMany(3, "cl");
    const post = await author.createPost("thread");
    const made: string[] = [];
    for (let i = 0; i < 9; i++) {
      const who = i % 2 === 0 ? a : b;
      made.push((await who.post(`/api/v1/posts/${post.id}/comments`, { content: `c${i}` }, keyed())).data.comment.id);
    }
    const seen: string[] = [];
    const contents: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res: any = await author.get(`/api/v1/posts/${post.id}/comments?limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.data.comments.length).toBeLessThanOrEqual(4);
      seen.push(...res.data.comments.map((c: { id: string }) => c.id));
      contents.push(...res.data.comments.map((c: { content: string }) => c.content));
      if (page === 0) {
        // a comment arriving mid-way lands at the end (oldest first), not in a page already read
        made.push((await a.post(`/api/v1/posts/${post.id}/comments`, { content: "late" }, keyed())).data.comment.id);
      }
      if (!res.data.pagination.hasMore) {
        expect(res.data.pagination.nextCursor).toBeNull();
        break;
      }
      cursor = res.data.pagination.nextCursor;
    }
    expect(duplicates(seen)).toEqual([]);
    expect(seen).toEqual(made);
    expect(contents).toEqual(["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "late"]);
  });

  it("GET: 404 POST_NOT_FOUND for an unknown post; 400 for bad paging", async () => {
    const me = await signup();
    const res = await me.get("/api/v1/posts/01ZZZZZZZZZZZZZZZZZZZZZZZZ/comments");
    expect(res.status).toBe(404);
    expect(res.code).toBe("POST_NOT_FOUND");
    const post = await me.createPost("x");
    expect((await me.get(`/api/v1/posts/${post.id}/comments?cursor=!!!`)).code).toBe("INVALID_CURSOR");
    expect((await me.get(`/api/v1/posts/${post.id}/comments?cursor=e30`)).code).toBe("INVALID_CURSOR");
    expect((await me.get(`/api/v1/posts/${post.id}/comments?limit=abc`)).code).toBe("VALIDATION_ERROR");
  });
});
