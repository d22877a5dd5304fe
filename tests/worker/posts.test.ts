/**
 * API.md "Posts": create (text, image, link), read, edit, delete, share, with each error code of
 * those rows (EMPTY_POST, CONTENT_TOO_LONG, INVALID_IMAGE_URL, POST_NOT_FOUND, FORBIDDEN,
 * MISSING_IDEMPOTENCY_KEY, INVALID_IDEMPOTENCY_KEY).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { drainFanout, keyed, profilePostIds, signup, signupMany } from "./helpers";

const POST_KEYS = [
  "author",
  "authorId",
  "commentCount",
  "content",
  "createdAt",
  "id",
  "imageUrl",
  "isLiked",
  "likeCount",
  "media",
  "mentions",
  "postType",
  "privacy",
  "shareCount",
  "updatedAt",
];

async function postsInD1(authorId: string): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM posts WHERE author_id = ?").bind(authorId).first<{ n: number }>())!.n;
}

describe("POST /posts", () => {
  it("201 {post}: a text post with the contract's shape, public by default", async () => {
    const me = await signup();
    const res = await me.post("/api/v1/posts", { content: "hello edge" }, keyed());
    expect(res.status).toBe(201);
    const post = res.data.post;
    expect(Object.keys(post).sort()).toEqual(POST_KEYS);
    expect(post).toMatchObject({
      authorId: me.user.id,
      author: { id: me.user.id, username: me.user.username, displayName: me.user.displayName, avatarUrl: null, isCelebrity: false },
      content: "hello edge",
      imageUrl: null,
      media: [],
      postType: "text",
      privacy: "public",
      likeCount: 0,
      commentCount: 0,
      shareCount: 0,
      isLiked: false,
    });
    expect(post.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(post.createdAt).toBe(post.updatedAt);
    expect(new Date(post.createdAt).toISOString()).toBe(post.createdAt);
  });

  it("image and link posts get their type; friends privacy is kept", async () => {
    const me = await signup();
    const image = await me.createPost("", { imageUrl: "https://img.example/cat.jpg" });
    expect(image).toMatchObject({ postType: "image", imageUrl: "https://img.example/cat.jpg", content: "" });
    const link = await me.createPost("read https://example.com/article now");
    expect(link.postType).toBe("link");
    const friends = await me.createPost("close friends only", { privacy: "friends" });
    expect(friends.privacy).toBe("friends");
    const plainHttp = await me.createPost("caption", { imageUrl: "http://img.example/dog.png" });
    expect(plainHttp.postType).toBe("image");
  });

  it("ids sort by creation time", async () => {
    const me = await signup();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await me.createPost(`n${i}`)).id);
    expect([...made].sort()).toEqual(made);
  });

  it.each([
    ["empty content", { content: "" }],
    ["whitespace only", { content: "  \n\t " }],
    ["no content field", {}],
    ["null image and empty content", { content: "", imageUrl: null }],
  ])("400 EMPTY_POST for %s", async (_what, body) => {
    const me = await signup();
    const res = await me.post("/api/v1/posts", body, keyed());
    expect(res.status).toBe(400);
    expect(res.code).toBe("EMPTY_POST");
    expect(await postsInD1(me.user.id)).toBe(0);
  });

  it("400 CONTENT_TOO_LONG above 5000 characters; exactly 5000 is accepted", async () => {
    const me = await signup();
    const long = await me.post("/api/v1/posts", { content: "x".repeat(5001) }, keyed());
    expect(long.status).toBe(400);
    expect(long.code).toBe("CONTENT_TOO_LONG");
    const max = await me.post("/api/v1/posts", { content: "y".repeat(5000) }, keyed());
    expect(max.status).toBe(201);
    expect(max.data.post.content).toHaveLength(5000);
    expect(await postsInD1(me.user.id)).toBe(1);
  });

  it("counts characters as people do: 5000 emoji fit, 5001 do not (posts and comments)", async () => {
    const me = await signup();
    const emoji = "\u{1F600}"; // two UTF-16 units, one character
    expect((await me.post("/api/v1/posts", { content: emoji.repeat(5001) }, keyed())).code).toBe("CONTENT_TOO_LONG");
    const max = await me.post("/api/v1/posts", { content: emoji.repeat(5000) }, keyed());
    expect(max.status).toBe(201);
    const comment = await me.post(`/api/v1/posts/${max.data.post.id}/comments`, { content: emoji.repeat(2000) }, keyed());
    expect(comment.status).toBe(201);
    expect((await me.post(`/api/v1/posts/${max.data.post.id}/comments`, { content: emoji.repeat(2001) }, keyed())).code).toBe("VALIDATION_ERROR");
  });

  it.each([
    ["javascript:", "javascript:alert(1)"],
    ["ftp:", "ftp://files.example/a.png"],
    ["data:", "data:image/png;base64,AAAA"],
    ["not a URL", "cat.jpg"],
    ["empty", "   "],
  ])("400 INVALID_IMAGE_URL for %s", async (_what, imageUrl) => {
    const me = await signup();
    const res = await me.post("/api/v1/posts", { content: "pic", imageUrl }, keyed());
    expect(res.status).toBe(400);
    expect(res.code).toBe("INVALID_IMAGE_URL");
    expect(await postsInD1(me.user.id)).toBe(0);
  });

  it("400 VALIDATION_ERROR for wrong types or an unknown privacy", async () => {
    const me = await signup();
    for (const body of [{ content: 5 }, { content: "x", privacy: "secret" }, { content: "x", imageUrl: 7 }, ["content"], JSON.stringify("just a string"), "42", "null"]) {
      const res = await me.post("/api/v1/posts", body, keyed());
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.code, JSON.stringify(body)).toBe("VALIDATION_ERROR");
    }
  });

  it("400 MISSING_IDEMPOTENCY_KEY without a key; 400 INVALID_IDEMPOTENCY_KEY for a bad one", async () => {
    const me = await signup();
    const missing = await me.post("/api/v1/posts", { content: "no key" });
    expect(missing.status).toBe(400);
    expect(missing.code).toBe("MISSING_IDEMPOTENCY_KEY");
    for (const key of ["k".repeat(256), "ключ", "tab\there", ""]) {
      const res = await me.post("/api/v1/posts", { content: "bad key" }, { "X-Idempotency-Key": key });
      expect(res.status, JSON.stringify(key)).toBe(400);
      expect(res.code, JSON.stringify(key)).toBe("INVALID_IDEMPOTENCY_KEY");
    }
    // 255 printable ASCII characters, spaces included, are fine
    const longest = await me.post("/api/v1/posts", { content: "long key" }, { "X-Idempotency-Key": `a b~${"z".repeat(251)}` });
    expect(longest.status).toBe(201);
    expect(await postsInD1(me.user.id)).toBe(1);
  });
});

describe("GET /posts/:id", () => {
  it("200 {post} for anyone who may see it, with isLiked for that viewer", async () => {
    const [author, reader] = await signupMany(2, "rd");
    const post = await author.createPost("readable");
    await reader.post(`/api/v1/posts/${post.id}/like`);
    const asReader = await reader.get(`/api/v1/posts/${post.id}`);
    expect(asReader.status).toBe(200);
    expect(asReader.data.post).toMatchObject({ id: post.id, content: "readable", likeCount: 1, isLiked: true });
    const asAuthor = await author.get(`/api/v1/posts/${post.id}`);
    expect(asAuthor.data.post).toMatchObject({ likeCount: 1, isLiked: false });
  });

  it("404 POST_NOT_FOUND for an unknown or malformed id", async () => {
    const me = await signup();
    for (const id of ["01ZZZZZZZZZZZZZZZZZZZZZZZZ", "nope", "%F0%9F%92%A9", "x".repeat(300)]) {
      const res = await me.get(`/api/v1/posts/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.code, id).toBe("POST_NOT_FOUND");
    }
  });
});

describe("PATCH /posts/:id", () => {
  it("200 {post} for the author: new content, updatedAt moves, createdAt stays", async () => {
    const me = await signup();
    const post = await me.createPost("first draft");
    await new Promise((r) => setTimeout(r, 5)); // so updatedAt can differ from createdAt
    const res = await me.patch(`/api/v1/posts/${post.id}`, { content: "second draft" });
    expect(res.status).toBe(200);
    expect(res.data.post).toMatchObject({ id: post.id, content: "second draft", createdAt: post.createdAt });
    expect(res.data.post.updatedAt >= post.updatedAt).toBe(true);
    expect((await me.get(`/api/v1/posts/${post.id}`)).data.post.content).toBe("second draft");
  });

  it("403 FORBIDDEN for someone else's post, which stays unchanged; 404 for unknown", async () => {
    const [author, other] = await signupMany(2, "ed");
    const post = await author.createPost("mine");
    const res = await other.patch(`/api/v1/posts/${post.id}`, { content: "hijacked" });
    expect(res.status).toBe(403);
    expect(res.code).toBe("FORBIDDEN");
    expect((await author.get(`/api/v1/posts/${post.id}`)).data.post.content).toBe("mine");
    const unknown = await author.patch("/api/v1/posts/01ZZZZZZZZZZZZZZZZZZZZZZZZ", { content: "x" });
    expect(unknown.status).toBe(404);
    expect(unknown.code).toBe("POST_NOT_FOUND");
  });

  it("400 EMPTY_POST / CONTENT_TOO_LONG / VALIDATION_ERROR for a bad edit", async () => {
    const me = await signup();
    const post = await me.createPost("keep");
    expect((await me.patch(`/api/v1/posts/${post.id}`, { content: " " })).code).toBe("EMPTY_POST");
    expect((await me.patch(`/api/v1/posts/${post.id}`, { content: "x".repeat(5001) })).code).toBe("CONTENT_TOO_LONG");
    expect((await me.patch(`/api/v1/posts/${post.id}`, {})).code).toBe("VALIDATION_ERROR");
    expect((await me.get(`/api/v1/posts/${post.id}`)).data.post.content).toBe("keep");
  });
});

describe("DELETE /posts/:id", () => {
  it("200 {deleted: true}; afterwards 404 everywhere; a second delete is 404", async () => {
    const [author, fan] = await signupMany(2, "del");
    await fan.follow(author.user.username);
    const post = await author.createPost("short-lived");
    await drainFanout(author.user.id);
    const res = await author.del(`/api/v1/posts/${post.id}`);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ deleted: true });
    expect((await fan.get(`/api/v1/posts/${post.id}`)).code).toBe("POST_NOT_FOUND");
    expect((await author.get(`/api/v1/posts/${post.id}`)).code).toBe("POST_NOT_FOUND");
    expect(await profilePostIds(fan, author.user.username)).toEqual([]);
    expect((await fan.post(`/api/v1/posts/${post.id}/like`)).code).toBe("POST_NOT_FOUND");
    expect((await fan.get(`/api/v1/posts/${post.id}/comments`)).code).toBe("POST_NOT_FOUND");
    const again = await author.del(`/api/v1/posts/${post.id}`);
    expect(again.status).toBe(404);
    expect(again.code).toBe("POST_NOT_FOUND");
  });

  it("403 FORBIDDEN for someone else's post, which survives", async () => {
    const [author, other] = await signupMany(2, "del");
    const post = await author.createPost("stays");
    const res = await other.del(`/api/v1/posts/${post.id}`);
    expect(res.status).toBe(403);
    expect(res.code).toBe("FORBIDDEN");
    expect((await other.get(`/api/v1/posts/${post.id}`)).status).toBe(200);
  });

  it("deleting a post takes its likes and comments with it", async () => {
    const [author, fan] = await signupMany(2, "cas");
    const post = await author.createPost("engaged");
    await fan.post(`/api/v1/posts/${post.id}/like`);
    await fan.post(`/api/v1/posts/${post.id}/comments`, { content: "nice" }, keyed());
    await author.del(`/api/v1/posts/${post.id}`);
    const likes = await env.DB.prepare("SELECT COUNT(*) AS n FROM likes WHERE post_id = ?").bind(post.id).first<{ n: number }>();
    const comments = await env.DB.prepare("SELECT COUNT(*) AS n FROM comments WHERE post_id = ?").bind(post.id).first<{ n: number }>();
    expect(likes?.n).toBe(0);
    expect(comments?.n).toBe(0);
  });
});

describe("POST /posts/:id/share", () => {
  it("201 {post} of type share embedding sharedPost; the original's shareCount counts it", async () => {
    const [author, sharer] = await signupMany(2, "sh");
    const original = await author.createPost("worth sharing");
    const res = await sharer.post(`/api/v1/posts/${original.id}/share`, { content: "look at this" }, keyed());
    expect(res.status).toBe(201);
    const share = res.data.post;
    expect(share).toMatchObject({ authorId: sharer.user.id, postType: "share", content: "look at this", privacy: "public" });
    expect(share.sharedPost).toMatchObject({ id: original.id, authorId: author.user.id, content: "worth sharing", shareCount: 1 });
    expect(share.sharedPost).not.toHaveProperty("sharedPost");
    expect((await author.get(`/api/v1/posts/${original.id}`)).data.post.shareCount).toBe(1);
    // GET of the share embeds it too
    expect((await author.get(`/api/v1/posts/${share.id}`)).data.post.sharedPost.id).toBe(original.id);
    // A share without text is fine
    const bare = await sharer.post(`/api/v1/posts/${original.id}/share`, {}, keyed());
    expect(bare.status).toBe(201);
    expect(bare.data.post.content).toBe("");
    expect((await author.get(`/api/v1/posts/${original.id}`)).data.post.shareCount).toBe(2);
  });

  it("sharing a share shares the original (never nested)", async () => {
    const [author, first, second] = await signupMany(3, "sh");
    const original = await author.createPost("root");
    const share1 = (await first.post(`/api/v1/posts/${original.id}/share`, {}, keyed())).data.post;
    const share2 = await second.post(`/api/v1/posts/${share1.id}/share`, { content: "via a share" }, keyed());
    expect(share2.status).toBe(201);
    expect(share2.data.post.sharedPost.id).toBe(original.id);
    expect((await author.get(`/api/v1/posts/${original.id}`)).data.post.shareCount).toBe(2);
  });

  it("deleting a share decrements the original's shareCount; deleting the original leaves shares with sharedPost null", async () => {
    const [author, sharer] = await signupMany(2, "sh");
    const original = await author.createPost("counted");
    const share = (await sharer.post(`/api/v1/posts/${original.id}/share`, {}, keyed())).data.post;
    const share2 = (await sharer.post(`/api/v1/posts/${original.id}/share`, { content: "again" }, keyed())).data.post;
    expect((await author.get(`/api/v1/posts/${original.id}`)).data.post.shareCount).toBe(2);
    await sharer.del(`/api/v1/posts/${share.id}`);
    expect((await author.get(`/api/v1/posts/${original.id}`)).data.post.shareCount).toBe(1);
    await author.del(`/api/v1/posts/${original.id}`);
    const orphan = await sharer.get(`/api/v1/posts/${share2.id}`);
    expect(orphan.status).toBe(200);
    expect(orphan.data.post.sharedPost).toBeNull();
  });

  it("404 POST_NOT_FOUND for an unknown post; keys required; content limits", async () => {
    const me = await signup();
    const unknown = await me.post("/api/v1/posts/01ZZZZZZZZZZZZZZZZZZZZZZZZ/share", {}, keyed());
    expect(unknown.status).toBe(404);
    expect(unknown.code).toBe("POST_NOT_FOUND");
    const post = await me.createPost("own");
    expect((await me.post(`/api/v1/posts/${post.id}/share`, {})).code).toBe("MISSING_IDEMPOTENCY_KEY");
    expect((await me.post(`/api/v1/posts/${post.id}/share`, { content: "x".repeat(5001) }, keyed())).status).toBe(400);
    expect((await me.get(`/api/v1/posts/${post.id}`)).data.post.shareCount).toBe(0);
  });
});
