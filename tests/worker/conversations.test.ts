/**
 * API.md "Conversations": the comment shape, one-level threads, replies, edits, deletes (with
 * their replies), comment likes (idempotent, exact under concurrency), privacy, and the comment
 * counts reaching watchers live (engagement_update with commentId).
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { Comment } from "../../schema/api";
import { befriend, keyed, signup, signupMany, type Client } from "./helpers";
import { connect, type Inbox } from "./socket-helpers";

async function comment(client: Client, postId: string, content: string, parentId?: string | null): Promise<Comment> {
  const res = await client.post(`/api/v1/posts/${postId}/comments`, { content, ...(parentId !== undefined ? { parentId } : {}) }, keyed());
  if (res.status !== 201) throw new Error(`comment failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.data.comment;
}

const counts = async (postId: string) =>
  (await env.DB.prepare("SELECT comment_count AS c, (SELECT COUNT(*) FROM comments WHERE post_id = ?1) AS rows FROM posts WHERE id = ?1").bind(postId).first<{ c: number; rows: number }>())!;
const commentRow = (id: string) => env.DB.prepare("SELECT like_count, reply_count, (SELECT COUNT(*) FROM comment_likes WHERE comment_id = ?1) AS likes, (SELECT COUNT(*) FROM comments r WHERE r.parent_id = ?1) AS replies FROM comments WHERE id = ?1").bind(id).first<{ like_count: number; reply_count: number; likes: number; replies: number }>();

const open: Inbox[] = [];
afterEach(() => open.splice(0).forEach((i) => i.close()));

describe("the comment shape", () => {
  it("is the seed's Comment plus threads: userId, user, likeCount, isLiked, parentId, replyCount, mentions, updatedAt", async () => {
    const [author, fan] = await signupMany(2, "cs");
    const post = await author.createPost("shape");
    const made = await comment(fan, post.id, "hello");
    expect(Object.keys(made).sort()).toEqual(["content", "createdAt", "id", "isLiked", "likeCount", "mentions", "parentId", "postId", "replyCount", "updatedAt", "user", "userId"]);
    expect(made).toMatchObject({ postId: post.id, userId: fan.user.id, content: "hello", likeCount: 0, isLiked: false, parentId: null, replyCount: 0, mentions: [] });
    expect(made.user).toEqual({ id: fan.user.id, username: fan.user.username, displayName: fan.user.displayName, avatarUrl: null, isCelebrity: false });
    expect(made.updatedAt).toBe(made.createdAt);
    const listed = (await author.get(`/api/v1/posts/${post.id}/comments`)).data.comments;
    expect(listed).toEqual([made]);
  });
});

describe("threads", () => {
  it("a reply answers a top-level comment; a reply to a reply attaches to the same top-level comment", async () => {
    const [author, a, b] = await signupMany(3, "th");
    const post = await author.createPost("thread me");
    const top = await comment(a, post.id, "top");
    const reply = await comment(b, post.id, "reply", top.id);
    const deeper = await comment(a, post.id, "reply to the reply", reply.id);
    expect(reply.parentId).toBe(top.id);
    expect(deeper.parentId).toBe(top.id);
    // commentCount counts all; the list has top-level comments only; replies are their own list.
    expect((await author.get(`/api/v1/posts/${post.id}`)).data.post.commentCount).toBe(3);
    const list = await author.get(`/api/v1/posts/${post.id}/comments`);
    expect(list.data.comments.map((c: Comment) => [c.id, c.replyCount])).toEqual([[top.id, 2]]);
    const replies = await author.get(`/api/v1/comments/${top.id}/replies`);
    expect(replies.status).toBe(200);
    expect(replies.data.comments.map((c: Comment) => c.content)).toEqual(["reply", "reply to the reply"]);
    expect((await author.get(`/api/v1/comments/${reply.id}/replies`)).data.comments).toEqual([]);
    expect(await counts(post.id)).toEqual({ c: 3, rows: 3 });
  });

  it("replies page oldest first with every reply once", async () => {
    const [author, a] = await signupMany(2, "tp");
    const post = await author.createPost("many replies");
    const top = await comment(a, post.id, "top");
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await comment(i % 2 ? author : a, post.id, `r${i}`, top.id)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: any = await a.get(`/api/v1/comments/${top.id}/replies?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...res.data.comments.map((c: Comment) => c.id));
      if (!res.data.pagination.hasMore) break;
      cursor = res.data.pagination.nextCursor;
    }
    expect(seen).toEqual(made);
  });

  it("404 COMMENT_NOT_FOUND for an unknown parent, a parent on another post, or replies of an unknown comment; nothing changes", async () => {
    const [author, a] = await signupMany(2, "tn");
    const post = await author.createPost("one");
    const other = await author.createPost("two");
    const elsewhere = await comment(a, other.id, "on the other post");
    for (const parentId of ["01ZZZZZZZZZZZZZZZZZZZZZZZZ", elsewhere.id]) {
      const res = await a.post(`/api/v1/posts/${post.id}/comments`, { content: "lost", parentId }, keyed());
      expect(res.status).toBe(404);
      expect(res.code).toBe("COMMENT_NOT_FOUND");
    }
    expect(await counts(post.id)).toEqual({ c: 0, rows: 0 });
    expect((await a.get("/api/v1/comments/01ZZZZZZZZZZZZZZZZZZZZZZZZ/replies")).code).toBe("COMMENT_NOT_FOUND");
    expect((await a.get(`/api/v1/comments/${elsewhere.id}/replies?cursor=!!`)).code).toBe("INVALID_CURSOR");
    for (const body of [{ content: "x", parentId: 5 }, { content: "x", parentId: "" }, { content: "x", parentId: "y".repeat(65) }]) {
      expect((await a.post(`/api/v1/posts/${post.id}/comments`, body, keyed())).code).toBe("VALIDATION_ERROR");
    }
  });

  it("20 concurrent replies: replyCount 20, commentCount 21, matching the rows", async () => {
    const author = await signup();
    const fans = await signupMany(20, "cr");
    const post = await author.createPost("busy thread");
    const top = await comment(author, post.id, "ask me anything");
    const replies = await Promise.all(fans.map((f, i) => f.post(`/api/v1/posts/${post.id}/comments`, { content: `q${i}`, parentId: top.id }, keyed())));
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(await commentRow(top.id)).toMatchObject({ reply_count: 20, replies: 20 });
    expect(await counts(post.id)).toEqual({ c: 21, rows: 21 });
    // A retried request (same key) adds nothing.
    const key = crypto.randomUUID();
    const once = await Promise.all(Array.from({ length: 5 }, () => fans[0].post(`/api/v1/posts/${post.id}/comments`, { content: "again", parentId: top.id }, keyed(key))));
    expect(new Set(once.map((r) => r.data.comment.id)).size).toBe(1);
    expect(await commentRow(top.id)).toMatchObject({ reply_count: 21, replies: 21 });
  });
});

describe("PATCH and DELETE /comments/:cid", () => {
  it("the author edits (content, updatedAt); anyone else 403; bad content 400; unknown 404", async () => {
    const [author, a, b] = await signupMany(3, "ed");
    const post = await author.createPost("edit them");
    const mine = await comment(a, post.id, "tpyo");
    await new Promise((r) => setTimeout(r, 5));
    const edited = await a.patch(`/api/v1/comments/${mine.id}`, { content: "typo" });
    expect(edited.status).toBe(200);
    expect(edited.data.comment).toMatchObject({ id: mine.id, content: "typo", createdAt: mine.createdAt });
    expect(edited.data.comment.updatedAt > mine.updatedAt).toBe(true);
    expect((await b.patch(`/api/v1/comments/${mine.id}`, { content: "mine now" })).code).toBe("FORBIDDEN");
    expect((await author.patch(`/api/v1/comments/${mine.id}`, { content: "post author" })).status).toBe(403);
    for (const content of ["", "  ", "z".repeat(2001)]) expect((await a.patch(`/api/v1/comments/${mine.id}`, { content })).code).toBe("VALIDATION_ERROR");
    expect((await a.patch("/api/v1/comments/01ZZZZZZZZZZZZZZZZZZZZZZZZ", { content: "x" })).code).toBe("COMMENT_NOT_FOUND");
    const list = await b.get(`/api/v1/posts/${post.id}/comments`);
    expect(list.data.comments[0].content).toBe("typo");
  });

  it("deleting a top-level comment removes its replies; commentCount and replyCount follow; the author or the post's author may delete", async () => {
    const [author, a, b] = await signupMany(3, "dl");
    const post = await author.createPost("delete them");
    const top = await comment(a, post.id, "top");
    await comment(b, post.id, "r1", top.id);
    const r2 = await comment(a, post.id, "r2", top.id);
    const other = await comment(b, post.id, "another top");
    expect(await counts(post.id)).toEqual({ c: 4, rows: 4 });
    // A third party may not; the reply's author may delete the reply (parent's replyCount -1).
    expect((await b.del(`/api/v1/comments/${top.id}`)).code).toBe("FORBIDDEN");
    expect((await a.del(`/api/v1/comments/${r2.id}`)).data).toEqual({ deleted: true });
    expect(await commentRow(top.id)).toMatchObject({ reply_count: 1, replies: 1 });
    expect(await counts(post.id)).toEqual({ c: 3, rows: 3 });
    // The post's author deletes someone else's top-level comment: it and its reply go.
    expect((await author.del(`/api/v1/comments/${top.id}`)).status).toBe(200);
    expect(await counts(post.id)).toEqual({ c: 1, rows: 1 });
    expect((await a.get(`/api/v1/comments/${top.id}/replies`)).code).toBe("COMMENT_NOT_FOUND");
    expect((await a.del(`/api/v1/comments/${top.id}`)).code).toBe("COMMENT_NOT_FOUND");
    expect((await author.get(`/api/v1/posts/${post.id}/comments`)).data.comments.map((c: Comment) => c.id)).toEqual([other.id]);
    expect((await author.get(`/api/v1/posts/${post.id}`)).data.post.commentCount).toBe(1);
  });

  it("replies racing a delete of their thread leave counts equal to the rows", async () => {
    const author = await signup();
    const fans = await signupMany(8, "rd");
    const post = await author.createPost("race");
    const top = await comment(author, post.id, "soon gone");
    const keep = await comment(author, post.id, "stays");
    await Promise.all([
      ...fans.map((f, i) => f.post(`/api/v1/posts/${post.id}/comments`, { content: `r${i}`, parentId: top.id }, keyed())),
      author.del(`/api/v1/comments/${top.id}`),
      ...fans.map((f, i) => f.post(`/api/v1/posts/${post.id}/comments`, { content: `k${i}`, parentId: keep.id }, keyed())),
    ]);
    const after = await counts(post.id);
    expect(after.c).toBe(after.rows);
    expect(await commentRow(keep.id)).toMatchObject({ reply_count: 8, replies: 8 });
    const orphans = await env.DB.prepare("SELECT COUNT(*) AS n FROM comments WHERE parent_id = ?").bind(top.id).first<{ n: number }>();
    expect(orphans!.n).toBe(0);
  });
});

describe("POST/DELETE /comments/:cid/like", () => {
  it("idempotent like and unlike, isLiked per viewer", async () => {
    const [author, a, b] = await signupMany(3, "cl");
    const post = await author.createPost("like my comment");
    const c = await comment(a, post.id, "likeable");
    expect((await b.post(`/api/v1/comments/${c.id}/like`)).data).toEqual({ liked: true, likeCount: 1 });
    expect((await b.post(`/api/v1/comments/${c.id}/like`)).data).toEqual({ liked: true, likeCount: 1 });
    expect((await b.get(`/api/v1/posts/${post.id}/comments`)).data.comments[0]).toMatchObject({ likeCount: 1, isLiked: true });
    expect((await a.get(`/api/v1/posts/${post.id}/comments`)).data.comments[0]).toMatchObject({ likeCount: 1, isLiked: false });
    expect((await b.del(`/api/v1/comments/${c.id}/like`)).data).toEqual({ liked: false, likeCount: 0 });
    expect((await b.del(`/api/v1/comments/${c.id}/like`)).data).toEqual({ liked: false, likeCount: 0 });
    for (const method of ["POST", "DELETE"]) expect((await b.request(method, "/api/v1/comments/01ZZZZZZZZZZZZZZZZZZZZZZZZ/like")).code).toBe("COMMENT_NOT_FOUND");
  });

  it("exact counts under 20 concurrent likes from different users, and 10 at once from one user", async () => {
    const author = await signup();
    const fans = await signupMany(20, "cc");
    const post = await author.createPost("popular comment");
    const c = await comment(author, post.id, "hot take");
    const likes = await Promise.all(fans.map((f) => f.post(`/api/v1/comments/${c.id}/like`)));
    expect(likes.every((r) => r.status === 200 && r.data.liked)).toBe(true);
    expect(Math.max(...likes.map((r) => r.data.likeCount))).toBe(20);
    expect(await commentRow(c.id)).toMatchObject({ like_count: 20, likes: 20 });
    await Promise.all(Array.from({ length: 10 }, () => fans[0].post(`/api/v1/comments/${c.id}/like`)));
    expect(await commentRow(c.id)).toMatchObject({ like_count: 20, likes: 20 });
    await Promise.all(fans.map((f) => f.del(`/api/v1/comments/${c.id}/like`)));
    expect(await commentRow(c.id)).toMatchObject({ like_count: 0, likes: 0 });
  });
});

describe("privacy", () => {
  it("a friends-only post's comments do not exist for others: replies, edits, deletes, likes and replying answer 404", async () => {
    const [author, friend, stranger] = await signupMany(3, "pv");
    await befriend(author, friend);
    const secret = await author.createPost("friends only", { privacy: "friends" });
    const c = await comment(friend, secret.id, "between us");
    for (const res of [
      await stranger.get(`/api/v1/comments/${c.id}/replies`),
      await stranger.patch(`/api/v1/comments/${c.id}`, { content: "x" }),
      await stranger.del(`/api/v1/comments/${c.id}`),
      await stranger.post(`/api/v1/comments/${c.id}/like`),
      await stranger.del(`/api/v1/comments/${c.id}/like`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.code).toBe("COMMENT_NOT_FOUND");
      expect(JSON.stringify(res.body)).not.toContain("between us");
    }
    const reply = await stranger.post(`/api/v1/posts/${secret.id}/comments`, { content: "let me in", parentId: c.id }, keyed());
    expect(reply.code).toBe("POST_NOT_FOUND");
    expect(await commentRow(c.id)).toMatchObject({ like_count: 0, reply_count: 0 });
    // When the friendship ends, the ex-friend's own comment is gone for them too.
    await friend.del(`/api/v1/users/${author.user.username}/follow`);
    expect((await friend.post(`/api/v1/comments/${c.id}/like`)).code).toBe("COMMENT_NOT_FOUND");
  });
});

describe("live", () => {
  it("a watcher of the post gets engagement_update with commentId for a comment's likeCount and replyCount", async () => {
    const [author, a, watcher] = await signupMany(3, "lv");
    const post = await author.createPost("watch the comments");
    const c = await comment(a, post.id, "watched");
    const inbox = await connect(watcher);
    open.push(inbox);
    inbox.send({ type: "watch_posts", payload: { postIds: [post.id] } });
    await inbox.next((m) => m.type === "watching");
    await author.post(`/api/v1/comments/${c.id}/like`);
    const like = await inbox.next((m) => m.type === "engagement_update" && m.payload.commentId === c.id && m.payload.field === "likeCount");
    expect(like.payload).toEqual({ postId: post.id, commentId: c.id, field: "likeCount", delta: 1, newValue: 1 });
    await comment(author, post.id, "answer", c.id);
    const replies = await inbox.next((m) => m.type === "engagement_update" && m.payload.commentId === c.id && m.payload.field === "replyCount");
    expect(replies.payload).toMatchObject({ postId: post.id, commentId: c.id, delta: 1, newValue: 1 });
    const total = await inbox.next((m) => m.type === "engagement_update" && !m.payload.commentId && m.payload.field === "commentCount" && m.payload.newValue === 2);
    expect(total.payload.postId).toBe(post.id);
  });
});
