/**
 * Issue 14 item 1: D1 read replication with bookmarks. Locally D1 has one copy, so these tests
 * check what the code passes: which constraint or bookmark each D1 session is opened with
 * (`D1 session …` in the counting trace, worker/routes/bench.ts), and which bookmark each object
 * keeps. The rules (core/d1.ts, durable-objects/user-feed/d1-access.ts, worker/lib/d1.ts):
 * a mutation runs on the primary and its bookmark becomes the user's; the user's reads start from
 * it; a delivery carries its post's bookmark and the follower keeps the newer; the worker's reads
 * start from the signed bookmark cookie that mutations set, else unconstrained.
 */
import { env } from "cloudflare:workers";
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { isBookmark, newerBookmark } from "../../core/d1";
import { countedRequest } from "./cost-helpers";
import { drainFanout, inUserFeed, keyed, signup } from "./helpers";

const bookmarkOf = async (userId: string) => (await env.USER_FEED.getByName(userId).inspect()).d1Bookmark;
/** The constraints the sessions of a counted trace were opened with, in order. */
const sessionsIn = (trace: string[] | undefined) => (trace ?? []).filter((t) => t.startsWith("D1 session ")).map((t) => t.slice("D1 session ".length));

describe("bookmarks (core/d1.ts)", () => {
  it("newerBookmark picks the later position and ignores what is not a bookmark", () => {
    const a = "00000000-00000007-00000000-00000000000000000000000000000000";
    const b = "00000000-0000000a-00000000-00000000000000000000000000000000";
    const c = "00000001-00000000-00000000-00000000000000000000000000000000";
    expect(newerBookmark(a, b)).toBe(b);
    expect(newerBookmark(b, a)).toBe(b);
    expect(newerBookmark(b, c)).toBe(c);
    expect(newerBookmark(a, a)).toBe(a);
    expect(newerBookmark(null, a)).toBe(a);
    expect(newerBookmark(a, undefined)).toBe(a);
    expect(newerBookmark(a, "first-primary")).toBe(a);
    expect(newerBookmark("zzzz", "not-a-bookmark")).toBeNull();
    expect(isBookmark(a)).toBe(true);
    expect(isBookmark(a.toUpperCase().replace(/0/g, "F"))).toBe(false);
  });

  it("D1 hands out bookmarks in that format, growing with each write", async () => {
    const session = env.DB.withSession("first-primary");
    await session.prepare("SELECT 1").run();
    const first = session.getBookmark();
    await session.prepare("UPDATE users SET last_active_at = last_active_at WHERE id = 'none'").run();
    await env.DB.prepare("INSERT INTO rate_limits (key, window_start, count) VALUES ('bookmark-test', 0, 1) ON CONFLICT DO UPDATE SET count = count + 1").run();
    const later = env.DB.withSession("first-primary");
    await later.prepare("SELECT 1").run();
    expect(isBookmark(first)).toBe(true);
    expect(isBookmark(later.getBookmark())).toBe(true);
    expect(newerBookmark(first, later.getBookmark())).toBe(later.getBookmark());
    expect(later.getBookmark()! > first!).toBe(true);
  });
});

describe("the user's object reads from its last write", () => {
  it("a mutation runs on the primary; its bookmark is kept and the next feed read starts from it, after an eviction too", async () => {
    const me = await signup();
    await me.get("/api/v1/feed"); // first read: activity, affinity counts
    const write = await countedRequest(me, me.user.id, "POST", "/api/v1/posts", { content: "mine" }, keyed());
    expect(write.status).toBe(201);
    expect(sessionsIn(write.object.trace)[0]).toBe("first-primary");
    const held = await bookmarkOf(me.user.id);
    expect(isBookmark(held)).toBe(true);

    const read = await countedRequest(me, me.user.id, "GET", "/api/v1/feed?mode=latest");
    expect(read.status).toBe(200);
    expect(read.body.data.posts.map((p: { content: string }) => p.content)).toContain("mine");
    // The page's session starts from the write's bookmark (not unconstrained, not the primary).
    expect(sessionsIn(read.object.trace)).toEqual([held]);
    // A read's own bookmark is kept too (it can only be as new or newer): reads never go back.
    const afterRead = await bookmarkOf(me.user.id);
    expect(newerBookmark(held, afterRead)).toBe(afterRead);

    await evictDurableObject(env.USER_FEED.getByName(me.user.id));
    expect(await bookmarkOf(me.user.id)).toBe(afterRead);
    const afterEviction = await countedRequest(me, me.user.id, "GET", "/api/v1/feed?mode=ranked");
    expect(afterEviction.status).toBe(200);
    expect(sessionsIn(afterEviction.object.trace)).toEqual([afterRead]);
    // A failed mutation moves nothing forward but what D1 itself says: never back.
    await me.post("/api/v1/posts/01J0000000000000000000000Z/like");
    expect(newerBookmark(held, await bookmarkOf(me.user.id))).toBe(await bookmarkOf(me.user.id));
  });

  it("a delivered post carries its write's bookmark: the follower keeps the newer one and reads from it", async () => {
    const [author, follower] = [await signup(), await signup()];
    await follower.follow(author.user.username);
    await follower.get("/api/v1/feed");
    const before = await bookmarkOf(follower.user.id);
    const post = await author.createPost("delivered");
    const written = await bookmarkOf(author.user.id);
    expect(newerBookmark(before, written)).toBe(written);
    expect(written).not.toBe(before);
    // The fan-out passes the payload's bookmark: a job without one would give the follower nothing.
    const deliveries: (string | null | undefined)[] = [];
    await inUserFeed(follower.user.id, (instance) => {
      const keep = instance.d1.keep.bind(instance.d1);
      instance.d1.keep = (b) => (deliveries.push(b), keep(b));
    });
    await drainFanout(author.user.id);
    expect(deliveries).toEqual([written]);
    // The follower holds the post's write (or newer): its next page reads a replica that has the post.
    const held = await bookmarkOf(follower.user.id);
    expect(newerBookmark(written, held)).toBe(held);
    const page = await countedRequest(follower, follower.user.id, "GET", "/api/v1/feed?mode=latest");
    expect(sessionsIn(page.object.trace)).toEqual([held]);
    expect(page.body.data.posts.map((p: { id: string }) => p.id)).toContain(post.id);

    // An older bookmark delivered later (a slow fan-out of an older post) never moves it back.
    const now = await bookmarkOf(follower.user.id);
    await env.USER_FEED.getByName(follower.user.id).deliver([{ postId: post.id, authorId: author.user.id }], undefined, before);
    expect(await bookmarkOf(follower.user.id)).toBe(now);
    // Garbage is ignored.
    await env.USER_FEED.getByName(follower.user.id).deliver([], undefined, "not a bookmark");
    expect(await bookmarkOf(follower.user.id)).toBe(now);
  });

  it("a mutation's calls to other objects carry its bookmark (a like: the author's object keeps it)", async () => {
    const [author, liker] = [await signup(), await signup()];
    const post = await author.createPost("like me");
    await drainFanout(author.user.id);
    await liker.post(`/api/v1/posts/${post.id}/like`);
    const liked = await bookmarkOf(liker.user.id);
    const authorHolds = await bookmarkOf(author.user.id);
    expect(newerBookmark(liked, authorHolds)).toBe(authorHolds);
  });
});

describe("the worker's reads", () => {
  it("start from the signed bookmark cookie a mutation set; without it, or with a forged one, unconstrained", async () => {
    const [me, author] = [await signup(), await signup()];
    const post = await author.createPost("read me");
    const res = await me.post(`/api/v1/posts/${post.id}/comments`, { content: "my comment" }, keyed());
    expect(res.status).toBe(201);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("ef_bm="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    const [bookmark] = cookie.slice("ef_bm=".length).split(";")[0].split(".");
    expect(bookmark).toBe(await bookmarkOf(me.user.id));

    const read = await countedRequest(me, me.user.id, "GET", `/api/v1/posts/${post.id}/comments`);
    expect(read.status).toBe(200);
    expect(read.body.data.comments.map((c: { content: string }) => c.content)).toContain("my comment");
    // The session lookup and the list: one read session, from my bookmark.
    expect(sessionsIn(read.worker.trace)).toEqual([bookmark]);

    const session = me.cookie.split("; ").find((c) => c.startsWith("ef_session="))!;
    for (const forged of [`ef_bm=${bookmark}.${"A".repeat(43)}`, `ef_bm=${"f".repeat(8)}-${"f".repeat(8)}-${"f".repeat(8)}-${"f".repeat(32)}.x`, "ef_bm=garbage", `ef_bm=${"x".repeat(5000)}`]) {
      const other = { cookie: `${session}; ${forged}` } as typeof me;
      const anon = await countedRequest(other, me.user.id, "GET", `/api/v1/posts/${post.id}`);
      expect(anon.status, forged.slice(0, 40)).toBe(200);
      expect(sessionsIn(anon.worker.trace)).toEqual(["first-unconstrained"]);
    }
  });
});
