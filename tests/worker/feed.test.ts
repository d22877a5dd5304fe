/**
 * GET /feed and GET /feed/updates: what the home feed holds, follow backfill, unfollow and delete
 * removal (from every feed, both modes, push and pull authors), isLiked, and catch-up with
 * `since` (exactly the new posts; INVALID_CURSOR; reload when the gap is older than the timeline).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Post } from "../../schema/api";
import { Client, drainFanout, duplicates, ids, keyed, profilePostIds, signup, signupMany, timelineIds } from "./helpers";

async function both(client: Client): Promise<{ latest: string[]; ranked: string[] }> {
  return { latest: ids(await client.wholeFeed("latest", 4)), ranked: ids(await client.wholeFeed("ranked", 4)) };
}

describe("GET /feed", () => {
  it("200 FeedResponse: own posts and followees' posts (shares included), nobody else's, newest first in latest mode", async () => {
    const [viewer, followee, stranger, third] = await signupMany(4, "fd");
    await viewer.follow(followee.user.username);
    const own = await viewer.createPost("mine");
    const theirs = await followee.createPost("theirs");
    await stranger.createPost("not followed");
    const original = await third.createPost("original by someone not followed");
    const share = (await followee.post(`/api/v1/posts/${original.id}/share`, { content: "shared" }, keyed())).data.post as Post;
    await drainFanout(followee.user.id);
    await viewer.post(`/api/v1/posts/${theirs.id}/like`);

    const res = await viewer.get("/api/v1/feed?mode=latest");
    expect(res.status).toBe(200);
    expect(Object.keys(res.data).sort()).toEqual(["pagination", "posts"]);
    expect(res.data.pagination).toMatchObject({ hasMore: false, nextCursor: null });
    expect(typeof res.data.pagination.newestCursor).toBe("string");
    expect(ids(res.data.posts)).toEqual([share.id, theirs.id, own.id]);
    const byId = new Map<string, Post>(res.data.posts.map((p: Post) => [p.id, p]));
    expect(byId.get(theirs.id)).toMatchObject({ isLiked: true, likeCount: 1 });
    expect(byId.get(own.id)).toMatchObject({ isLiked: false });
    expect(byId.get(share.id)).toMatchObject({ postType: "share", sharedPost: { id: original.id, content: "original by someone not followed" } });

    const ranked = await viewer.get("/api/v1/feed"); // ranked is the default
    expect(ranked.status).toBe(200);
    expect(new Set(ids(ranked.data.posts))).toEqual(new Set([share.id, theirs.id, own.id]));
    expect(typeof ranked.data.pagination.newestCursor).toBe("string");
  });

  it("an empty feed is an empty page", async () => {
    const loner = await signup();
    for (const mode of ["latest", "ranked"]) {
      const res = await loner.get(`/api/v1/feed?mode=${mode}`);
      expect(res.status).toBe(200);
      expect(res.data.posts).toEqual([]);
      expect(res.data.pagination).toMatchObject({ hasMore: false, nextCursor: null });
    }
  });
});

describe("follow, unfollow, delete", () => {
  it("following backfills the followee's recent posts into the timeline and the feed", async () => {
    const [viewer, author] = await signupMany(2, "bf");
    const made: string[] = [];
    for (let i = 0; i < 4; i++) made.push((await author.createPost(`before ${i}`)).id);
    const hidden = await author.createPost("friends only, not yet", { privacy: "friends" });
    await drainFanout(author.user.id);
    expect(await timelineIds(viewer.user.id)).toEqual([]);
    await viewer.follow(author.user.username);
    expect(await timelineIds(viewer.user.id)).toEqual([...made].reverse());
    const feeds = await both(viewer);
    expect(feeds.latest).toEqual([...made].reverse());
    expect(new Set(feeds.ranked)).toEqual(new Set(made));
    // Becoming friends later backfills the friends-only post too.
    await author.follow(viewer.user.username);
    expect((await both(viewer)).latest).toEqual([hidden.id, ...made.reverse()]);
  });

  it("following an author with more posts than the timeline holds: newest in the timeline, all in the feed", async () => {
    const [viewer, prolific] = await signupMany(2, "bc");
    const made: string[] = [];
    for (let i = 0; i < 70; i++) made.push((await prolific.createPost(`many ${i}`)).id);
    await drainFanout(prolific.user.id);
    await viewer.follow(prolific.user.username);
    const timeline = await timelineIds(viewer.user.id);
    expect(timeline).toEqual([...made].reverse().slice(0, 60)); // TIMELINE_CAP=60
    expect(ids(await viewer.wholeFeed("latest", 8))).toEqual([...made].reverse());
    const ranked = ids(await viewer.wholeFeed("ranked", 8));
    expect(duplicates(ranked)).toEqual([]);
    expect(new Set(ranked)).toEqual(new Set(made));
  });

  it("unfollowing removes the followee's posts from the feed (push and pull authors)", async () => {
    const [viewer, pushed] = await signupMany(2, "uf");
    const star = await signup();
    for (const fan of await signupMany(5, "ufan")) await fan.follow(star.user.username);
    await viewer.follow(pushed.user.username);
    await viewer.follow(star.user.username);
    const own = await viewer.createPost("stays");
    const p = await pushed.createPost("pushed post");
    const s = await star.createPost("pulled post");
    await drainFanout(pushed.user.id);
    await drainFanout(star.user.id);
    expect(new Set((await both(viewer)).latest)).toEqual(new Set([own.id, p.id, s.id]));

    await viewer.del(`/api/v1/users/${pushed.user.username}/follow`);
    await viewer.del(`/api/v1/users/${star.user.username}/follow`);
    expect(await timelineIds(viewer.user.id)).toEqual([own.id]);
    const after = await both(viewer);
    expect(after.latest).toEqual([own.id]);
    expect(after.ranked).toEqual([own.id]);
  });

  it("delete removes the post from every feed (followers of a push and a pull author), the profile and GET", async () => {
    const pushAuthor = await signup();
    const pushFans = await signupMany(3, "dp");
    for (const f of pushFans) await f.follow(pushAuthor.user.username);
    const star = await signup();
    const starFans = await signupMany(5, "ds");
    for (const f of starFans) await f.follow(star.user.username);

    const pKeep = await pushAuthor.createPost("keep");
    const pGone = await pushAuthor.createPost("gone");
    const sKeep = await star.createPost("star keep");
    const sGone = await star.createPost("star gone");
    await drainFanout(pushAuthor.user.id);
    await drainFanout(star.user.id);
    // a ranked snapshot taken before the delete must not serve it afterwards either
    const firstPage = await pushFans[0].get("/api/v1/feed?mode=ranked&limit=1");
    expect(firstPage.data.pagination.hasMore).toBe(true);

    expect((await pushAuthor.del(`/api/v1/posts/${pGone.id}`)).status).toBe(200);
    expect((await star.del(`/api/v1/posts/${sGone.id}`)).status).toBe(200);
    await drainFanout(pushAuthor.user.id);
    await drainFanout(star.user.id);

    for (const fan of pushFans) {
      expect(await timelineIds(fan.user.id)).not.toContain(pGone.id);
      const f = await both(fan);
      expect(f.latest).toEqual([pKeep.id]);
      expect(f.ranked).toEqual([pKeep.id]);
    }
    for (const fan of starFans) {
      const f = await both(fan);
      expect(f.latest).toEqual([sKeep.id]);
      expect(f.ranked).toEqual([sKeep.id]);
    }
    const rest = await pushFans[0].get(`/api/v1/feed?cursor=${firstPage.data.pagination.nextCursor}&limit=10`);
    expect(rest.status).toBe(200);
    expect(ids(rest.data.posts)).not.toContain(pGone.id);
    expect(ids([...firstPage.data.posts, ...rest.data.posts]).filter((id) => id !== pGone.id)).toEqual([pKeep.id]);
    expect(await profilePostIds(pushFans[0], pushAuthor.user.username)).toEqual([pKeep.id]);
    expect(await profilePostIds(starFans[0], star.user.username)).toEqual([sKeep.id]);
    expect((await pushFans[0].get(`/api/v1/posts/${pGone.id}`)).status).toBe(404);
    expect((await starFans[0].get(`/api/v1/posts/${sGone.id}`)).status).toBe(404);
    const outbox = await env.CELEBRITY_FEED.getByName(star.user.id).inspect();
    expect(outbox.outboxNewest.map((r: { post_id: string }) => r.post_id)).not.toContain(sGone.id);
  });

  it("deleting a share decrements the original's shareCount and removes the share from followers' feeds", async () => {
    const [author, sharer, fan] = await signupMany(3, "dsh");
    await fan.follow(sharer.user.username);
    const original = await author.createPost("original");
    const share = (await sharer.post(`/api/v1/posts/${original.id}/share`, {}, keyed())).data.post;
    await drainFanout(sharer.user.id);
    expect(ids(await fan.wholeFeed("latest"))).toEqual([share.id]);
    expect((await fan.get(`/api/v1/posts/${original.id}`)).data.post.shareCount).toBe(1);
    await sharer.del(`/api/v1/posts/${share.id}`);
    await drainFanout(sharer.user.id);
    expect(ids(await fan.wholeFeed("latest"))).toEqual([]);
    expect((await fan.get(`/api/v1/posts/${original.id}`)).data.post.shareCount).toBe(0);
  });
});

describe("GET /feed/updates", () => {
  it("since=newestCursor returns exactly the posts that arrived since, newest first, with a new cursor", async () => {
    const [viewer, a, b] = await signupMany(3, "up");
    await viewer.follow(a.user.username);
    await viewer.follow(b.user.username);
    const old = await a.createPost("before");
    await drainFanout(a.user.id);
    const feed = await viewer.get("/api/v1/feed?mode=latest");
    expect(ids(feed.data.posts)).toEqual([old.id]);
    const since = feed.data.pagination.newestCursor;

    const empty = await viewer.get(`/api/v1/feed/updates?since=${since}`);
    expect(empty.status).toBe(200);
    expect(empty.data.posts).toEqual([]);
    expect(empty.data.reload).toBeUndefined();

    const n1 = await a.createPost("new 1");
    const n2 = await b.createPost("new 2");
    const n3 = await viewer.createPost("own new 3");
    await drainFanout(a.user.id);
    await drainFanout(b.user.id);
    const res = await viewer.get(`/api/v1/feed/updates?since=${since}`);
    expect(res.status).toBe(200);
    expect(ids(res.data.posts)).toEqual([n3.id, n2.id, n1.id]);
    expect(res.data.reload).toBeUndefined();
    expect(res.data.posts[1]).toMatchObject({ content: "new 2", authorId: b.user.id, isLiked: false });

    const next = await viewer.get(`/api/v1/feed/updates?since=${res.data.newestCursor}`);
    expect(next.data.posts).toEqual([]);
    const n4 = await b.createPost("new 4");
    await drainFanout(b.user.id);
    expect(ids((await viewer.get(`/api/v1/feed/updates?since=${res.data.newestCursor}`)).data.posts)).toEqual([n4.id]);
  });

  it("celebrity (pulled) posts come through updates once each, however quickly the calls follow", async () => {
    const [viewer, star] = await signupMany(2, "upc");
    await viewer.follow(star.user.username);
    for (const fan of await signupMany(5, "upcfan")) await fan.follow(star.user.username);
    const first = await star.createPost("pulled 1");
    await drainFanout(star.user.id);
    const feed = await viewer.get("/api/v1/feed?mode=latest");
    expect(ids(feed.data.posts)).toContain(first.id);
    // Right after the read (well inside the pulled-posts overlap): nothing new, not the post again.
    const again = await viewer.get(`/api/v1/feed/updates?since=${feed.data.pagination.newestCursor}`);
    expect(again.data.posts).toEqual([]);
    const second = await star.createPost("pulled 2");
    await drainFanout(star.user.id);
    const res = await viewer.get(`/api/v1/feed/updates?since=${again.data.newestCursor}`);
    expect(ids(res.data.posts)).toEqual([second.id]);
    expect((await viewer.get(`/api/v1/feed/updates?since=${res.data.newestCursor}`)).data.posts).toEqual([]);
  });

  it("a new user's empty feed: updates since its first newestCursor brings the first arrivals (no reload)", async () => {
    const [viewer, author] = await signupMany(2, "ue");
    await viewer.follow(author.user.username);
    const first = await viewer.get("/api/v1/feed?mode=latest");
    expect(first.data.posts).toEqual([]);
    const since = first.data.pagination.newestCursor;
    expect((await viewer.get(`/api/v1/feed/updates?since=${since}`)).data).toEqual({ posts: [], newestCursor: expect.any(String) });
    const p = await author.createPost("first arrival");
    await drainFanout(author.user.id);
    const res = await viewer.get(`/api/v1/feed/updates?since=${since}`);
    expect(res.data.reload).toBeUndefined();
    expect(ids(res.data.posts)).toEqual([p.id]);
  });

  it("includes posts pulled from a followed celebrity", async () => {
    const viewer = await signup();
    const star = await signup();
    await viewer.follow(star.user.username);
    for (const fan of await signupMany(4, "upc")) await fan.follow(star.user.username);
    const since = (await viewer.get("/api/v1/feed?mode=latest")).data.pagination.newestCursor;
    const fresh = await star.createPost("celebrity news");
    await drainFanout(star.user.id);
    expect(await timelineIds(viewer.user.id)).not.toContain(fresh.id);
    const res = await viewer.get(`/api/v1/feed/updates?since=${since}`);
    expect(ids(res.data.posts)).toEqual([fresh.id]);
  });

  it("400 INVALID_CURSOR for a bad since", async () => {
    const viewer = await signup();
    for (const since of ["!!!", "e30", "eyJzIjoiYSJ9", btoa("garbage").replace(/=+$/, ""), "a".repeat(700)]) {
      const res = await viewer.get(`/api/v1/feed/updates?since=${encodeURIComponent(since)}`);
      expect(res.status, since).toBe(400);
      expect(res.code, since).toBe("INVALID_CURSOR");
    }
    // a page cursor is not a since cursor
    const me = await signup();
    for (let i = 0; i < 3; i++) await me.createPost(`p${i}`);
    const page = await me.get("/api/v1/feed?mode=latest&limit=1");
    expect((await me.get(`/api/v1/feed/updates?since=${page.data.pagination.nextCursor}`)).code).toBe("INVALID_CURSOR");
    const missing = await me.get("/api/v1/feed/updates");
    expect(missing.status).toBe(400);
  });

  it("reload: true when the gap is older than the timeline holds (and never a partial replay)", async () => {
    const viewer = await signup();
    const since = (await viewer.get("/api/v1/feed?mode=latest")).data.pagination.newestCursor;
    // TIMELINE_CAP=60 (+ trim slack): 115 arrivals push the oldest ones out of the timeline.
    for (let i = 0; i < 115; i++) await viewer.createPost(`flood ${i}`);
    const res = await viewer.get(`/api/v1/feed/updates?since=${since}`);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ posts: [], reload: true });
    expect(typeof res.data.newestCursor).toBe("string");
    // the new cursor works and the full feed is still whole (deep pages from D1)
    expect((await viewer.get(`/api/v1/feed/updates?since=${res.data.newestCursor}`)).data.posts).toEqual([]);
    const all = ids(await viewer.wholeFeed("latest", 50));
    expect(all).toHaveLength(115);
    expect(duplicates(all)).toEqual([]);
  });

  it("a cursor from the future (seq beyond the timeline) asks for a reload instead of failing", async () => {
    const viewer = await signup();
    const future = btoa(JSON.stringify({ s: 999999, t: Date.now() })).replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_");
    const res = await viewer.get(`/api/v1/feed/updates?since=${future}`);
    expect(res.status).toBe(200);
    expect(res.data.reload).toBe(true);
  });
});
