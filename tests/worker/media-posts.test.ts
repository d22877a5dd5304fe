/**
 * Posts with media: POST /posts takes `media: [{id, alt?}]`, every Post carries `media` (REST reads,
 * feeds, profiles, live messages: one hydration), `imageUrl` mirrors the first url, and every
 * refusal is 400 INVALID_MEDIA that changes nothing.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { Post } from "../../schema/api";
import { drainFanout, keyed, signup, type Client } from "./helpers";
import { mediaRow, postWithMedia, uploaded } from "./media-helpers";
import { connect, type Inbox } from "./socket-helpers";
import { BASE_GIF, BASE_JPEG, BASE_PNG, BASE_WEBP } from "../fixtures/images";

const open: Inbox[] = [];
afterEach(() => open.splice(0).forEach((i) => i.close()));

const postsOf = async (authorId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM posts WHERE author_id = ?").bind(authorId).first<{ n: number }>())!.n;

async function fourUploads(me: Client) {
  return [await uploaded(me, BASE_JPEG), await uploaded(me, BASE_PNG, "image/png"), await uploaded(me, BASE_WEBP, "image/webp"), await uploaded(me, BASE_GIF, "image/gif")];
}

describe("POST /posts with media", () => {
  it("201: Post.media in order with sizes and alt, imageUrl the first url, postType image; text optional", async () => {
    const me = await signup();
    const [a, b, c, d] = await fourUploads(me);
    const post = await postWithMedia(me, [{ id: c.id, alt: "  a lossy webp  " }, { id: a.id, alt: "a jpeg" }, { id: d.id }, { id: b.id, alt: "" }]);
    expect(post.media).toEqual([
      { id: c.id, url: `/media/${c.id}`, width: 24, height: 16, alt: "a lossy webp" },
      { id: a.id, url: `/media/${a.id}`, width: 24, height: 16, alt: "a jpeg" },
      { id: d.id, url: `/media/${d.id}`, width: 1, height: 1, alt: "" },
      { id: b.id, url: `/media/${b.id}`, width: 20, height: 10, alt: "" },
    ]);
    expect(post).toMatchObject({ content: "", postType: "image", imageUrl: `/media/${c.id}` });
    expect((await mediaRow(a.id))!).toMatchObject({ post_id: post.id, position: 1, alt: "a jpeg" });
  });

  it("alt text is user text: control and invisible characters go", async () => {
    const me = await signup();
    const m = await uploaded(me);
    const post = await postWithMedia(me, [{ id: m.id, alt: "a\u202Ecat\u200B on\u0000 a mat" }]);
    expect(post.media[0].alt).toBe("acat on a mat");
  });

  it("the same media everywhere a Post is built: GET /posts/:id, feeds (both modes), profile, shares, and a follower's live new_post", async () => {
    const [author, follower] = [await signup(), await signup()];
    await follower.follow(author.user.username);
    const inbox = await connect(follower);
    open.push(inbox);
    const m = await uploaded(author, BASE_PNG, "image/png");
    const post = await postWithMedia(author, [{ id: m.id, alt: "a gradient" }], { content: "look" });
    await drainFanout(author.user.id);
    const live = await inbox.next((msg) => msg.type === "new_post" && msg.payload.post.id === post.id);
    expect(live.payload.post.media).toEqual(post.media);
    expect((await follower.get(`/api/v1/posts/${post.id}`)).data.post.media).toEqual(post.media);
    for (const mode of ["ranked", "latest"] as const) {
      const feed: Post[] = await follower.wholeFeed(mode);
      expect(feed.find((p) => p.id === post.id)?.media).toEqual(post.media);
    }
    const profile = await follower.get(`/api/v1/users/${author.user.username}/posts`);
    expect(profile.data.posts[0].media).toEqual(post.media);
    const share = await follower.post(`/api/v1/posts/${post.id}/share`, { content: "see this" }, keyed());
    expect(share.data.post.media).toEqual([]);
    expect(share.data.post.sharedPost.media).toEqual(post.media);
  });

  it("posts without media say media: [] and keep their imageUrl", async () => {
    const me = await signup();
    const plain = await me.createPost("words only");
    const linked = await me.createPost("", { imageUrl: "https://img.example/cat.jpg" });
    expect(plain.media).toEqual([]);
    expect(linked).toMatchObject({ media: [], imageUrl: "https://img.example/cat.jpg", postType: "image" });
  });

  it("a friends-only post's media are in the post only for those who may see it", async () => {
    const [author, friend, stranger] = [await signup(), await signup(), await signup()];
    await author.follow(friend.user.username);
    await friend.follow(author.user.username);
    const m = await uploaded(author);
    const post = await postWithMedia(author, [{ id: m.id }], { privacy: "friends" });
    expect((await friend.get(`/api/v1/posts/${post.id}`)).data.post.media[0].id).toBe(m.id);
    expect((await stranger.get(`/api/v1/posts/${post.id}`)).status).toBe(404);
  });
});

describe("400 INVALID_MEDIA, and nothing changes", () => {
  async function refused(me: Client, body: Record<string, unknown>, reason?: string) {
    const before = await postsOf(me.user.id);
    const res = await me.post("/api/v1/posts", { content: "x", ...body }, keyed());
    expect([res.status, res.code], JSON.stringify(res.body)).toEqual([400, "INVALID_MEDIA"]);
    if (reason) expect(res.body.success === false && (res.body.error.details as { reason: string }).reason).toBe(reason);
    expect(await postsOf(me.user.id)).toBe(before);
    return res;
  }

  it("more than 4, a repeated id, alt over 1,500 characters (emoji count as one)", async () => {
    const me = await signup();
    const uploads = [...(await fourUploads(me)), await uploaded(me)];
    await refused(me, { media: uploads.map((u) => ({ id: u.id })) }, "too_many");
    await refused(me, { media: [{ id: uploads[0].id }, { id: uploads[0].id }] }, "duplicate");
    await refused(me, { media: [{ id: uploads[0].id, alt: "x".repeat(1501) }] }, "alt_too_long");
    const ok = await postWithMedia(me, [{ id: uploads[0].id, alt: "🐈".repeat(1500) }]);
    expect([...ok.media[0].alt]).toHaveLength(1500);
    for (const u of uploads.slice(1)) expect((await mediaRow(u.id))!.post_id).toBeNull();
  });

  it("someone else's upload, an unknown id, an upload already in a post, a deleted post's upload; the good ones stay unposted", async () => {
    const [me, other] = [await signup(), await signup()];
    const mine = await uploaded(me);
    const theirs = await uploaded(other);
    await refused(me, { media: [{ id: mine.id }, { id: theirs.id }] }, "not_available");
    expect((await mediaRow(mine.id))!.post_id).toBeNull();
    expect((await mediaRow(theirs.id))!.post_id).toBeNull();
    await refused(me, { media: [{ id: "01JZZZZZZZZZZZZZZZZZZZZZZZ" }] });
    const used = await postWithMedia(me, [{ id: mine.id }]);
    await refused(me, { media: [{ id: mine.id }] });
    expect((await mediaRow(mine.id))!.post_id).toBe(used.id);
    expect((await me.del(`/api/v1/posts/${used.id}`)).status).toBe(200);
    await refused(me, { media: [{ id: mine.id }] });
  });

  it("an upload past its 24 hours, or the poster's avatar, cannot be posted", async () => {
    const me = await signup();
    const old = await uploaded(me);
    await env.DB.prepare("UPDATE media SET created_at = created_at - 24 * 3600000 - 1 WHERE id = ?").bind(old.id).run();
    await refused(me, { media: [{ id: old.id }] });
    const avatar = await uploaded(me);
    expect((await me.patch("/api/v1/users/me", { avatarMediaId: avatar.id })).status).toBe(200);
    await refused(me, { media: [{ id: avatar.id }] });
  });

  it("concurrent posts of one upload: exactly one takes it, the other is refused", async () => {
    const me = await signup();
    const m = await uploaded(me);
    const results = await Promise.all([1, 2, 3].map((i) => me.post("/api/v1/posts", { content: `race ${i}`, media: [{ id: m.id }] }, keyed())));
    expect(results.map((r) => r.status).sort()).toEqual([201, 400, 400]);
    const winner = results.find((r) => r.status === 201)!.data.post as Post;
    expect((await mediaRow(m.id))!.post_id).toBe(winner.id);
    expect(await postsOf(me.user.id)).toBe(1);
  });

  it("shape errors are 400 VALIDATION_ERROR; media with imageUrl too; an empty list needs text", async () => {
    const me = await signup();
    const m = await uploaded(me);
    for (const media of ["nope", [{ id: 5 }], [{ id: m.id, extra: true }], [{}], [{ id: "" }], [{ id: m.id, alt: 7 }]]) {
      const res = await me.post("/api/v1/posts", { content: "x", media }, keyed());
      expect([res.status, res.code], JSON.stringify(media)).toEqual([400, "VALIDATION_ERROR"]);
    }
    const both = await me.post("/api/v1/posts", { content: "x", imageUrl: "https://img.example/a.png", media: [{ id: m.id }] }, keyed());
    expect([both.status, both.code]).toEqual([400, "VALIDATION_ERROR"]);
    const empty = await me.post("/api/v1/posts", { content: " ", media: [] }, keyed());
    expect([empty.status, empty.code]).toEqual([400, "EMPTY_POST"]);
    expect((await mediaRow(m.id))!.post_id).toBeNull();
  });

  it("a refused post replays its refusal with the same key; the upload can then go in another post", async () => {
    const [me, other] = [await signup(), await signup()];
    const theirs = await uploaded(other);
    const key = keyed();
    const first = await me.post("/api/v1/posts", { content: "x", media: [{ id: theirs.id }] }, key);
    const again = await me.post("/api/v1/posts", { content: "x", media: [{ id: theirs.id }] }, key);
    expect([first.status, again.status]).toEqual([400, 400]);
    expect(again.headers.get("x-idempotency-replayed")).toBe("true");
    expect((await postWithMedia(other, [{ id: theirs.id }])).media[0].id).toBe(theirs.id);
  });
});
