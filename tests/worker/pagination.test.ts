/**
 * Feed pagination (API.md): following nextCursor until hasMore is false yields every visible post
 * exactly once, even while posts are created and liked between pages, in both modes.
 *
 * The world mixes every source a page merges: the viewer's own posts, a friend's posts (pushed,
 * some friends-only), a followed non-friend's posts (pushed; its friends-only ones interleaved but
 * invisible), a followed celebrity's posts (pulled; some friends-only, invisible), ~210 posts in
 * all: past the timeline cap (TIMELINE_CAP=60, so deep pages come from D1) and past the ranked
 * window (200 candidates, so a ranked walk continues chronologically below its snapshot).
 *
 * The expected set is computed straight from D1 with the contract's rule (own + followees' posts,
 * public or by a friend), independently of the feed code.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { befriend, Client, drainFanout, duplicates, ids, profilePostIds, signup, signupMany } from "./helpers";

let viewer: Client;
let friend: Client;
let followee: Client;
let star: Client;
let everyone: Client[];
let counter = 0;

/** The posts the contract says the viewer's home feed holds right now, newest first. */
async function expectedFeed(viewerId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT p.id FROM posts p
     WHERE (p.author_id = ?1 OR p.author_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1))
       AND (p.privacy = 'public' OR p.author_id = ?1 OR (
         EXISTS (SELECT 1 FROM follows x WHERE x.follower_id = ?1 AND x.followee_id = p.author_id) AND
         EXISTS (SELECT 1 FROM follows y WHERE y.follower_id = p.author_id AND y.followee_id = ?1)))
     ORDER BY p.id DESC`,
  )
    .bind(viewerId)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Between pages: new posts from every source (some friends-only) and likes/unlikes on old ones. */
async function churn(page: number, pool: string[]): Promise<void> {
  counter += 1;
  const author = everyone[counter % everyone.length];
  await author.createPost(`between pages ${page}/${counter}`, counter % 3 === 0 ? { privacy: "friends" } : {});
  const target = pool[(counter * 7) % pool.length];
  const liker = [viewer, friend, followee, star][counter % 4];
  if (counter % 5 === 0) await liker.del(`/api/v1/posts/${target}/like`);
  else await liker.post(`/api/v1/posts/${target}/like`);
}

beforeAll(async () => {
  [viewer, friend, followee, star] = await signupMany(4, "pg");
  everyone = [viewer, friend, followee, star];
  await befriend(viewer, friend);
  await viewer.follow(followee.user.username);
  await viewer.follow(star.user.username);
  for (const fan of await signupMany(4, "pgfan")) await fan.follow(star.user.username); // 5 followers: a celebrity
  for (let i = 0; i < 60; i++) {
    await friend.createPost(`friend ${i}`, i % 3 === 0 ? { privacy: "friends" } : {});
    await followee.createPost(`followee ${i}`, i % 2 === 0 ? { privacy: "friends" } : {});
    const s = await star.createPost(`star ${i}`, i % 4 === 0 ? { privacy: "friends" } : {});
    if (i === 0) expect(s.author.isCelebrity).toBe(true);
    if (i % 2 === 0) await viewer.createPost(`viewer ${i}`, i % 4 === 0 ? { privacy: "friends" } : {});
  }
  for (const c of everyone) await drainFanout(c.user.id);
}, 180_000);

async function walk(client: Client, mode: "latest" | "ranked", limit: number): Promise<{ seen: string[]; before: string[] }> {
  const before = await expectedFeed(client.user.id);
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 500; page++) {
    const qs = new URLSearchParams({ mode, limit: String(limit) });
    if (cursor) qs.set("cursor", cursor);
    const res = await client.get(`/api/v1/feed?${qs}`);
    expect(res.status, `page ${page}`).toBe(200);
    expect(res.data.posts.length).toBeLessThanOrEqual(limit);
    seen.push(...ids(res.data.posts));
    if (!res.data.pagination.hasMore) {
      expect(res.data.pagination.nextCursor).toBeNull();
      return { seen, before };
    }
    cursor = res.data.pagination.nextCursor;
    await churn(page, before);
  }
  throw new Error("feed did not end");
}

describe("feed pagination with churn between pages", () => {
  it("the world is big enough: past the timeline cap and the ranked window, friends-only interleaved", async () => {
    const expected = await expectedFeed(viewer.user.id);
    expect(expected.length).toBeGreaterThan(150);
    const inspect = await env.USER_FEED.getByName(viewer.user.id).inspect();
    expect(inspect.timeline.size).toBeLessThan(expected.length); // deep pages must come from D1
    const total = (await env.DB.prepare("SELECT COUNT(*) AS n FROM posts").first<{ n: number }>())!.n;
    expect(total).toBeGreaterThan(200);
  });

  it("latest mode: every visible post exactly once, newest first, nothing invisible", async () => {
    const { seen, before } = await walk(viewer, "latest", 7);
    expect(duplicates(seen)).toEqual([]);
    expect(seen).toEqual(before); // same posts, same (id) order: no skip, no duplicate, no new arrival mid-walk
  }, 180_000);

  it("ranked mode: every visible post exactly once (snapshot, then chronological below it)", async () => {
    const { seen, before } = await walk(viewer, "ranked", 9);
    expect(duplicates(seen)).toEqual([]);
    expect([...seen].sort()).toEqual([...before].sort());
    // Ranked really reorders: the walk is not just the chronological order.
    expect(seen).not.toEqual(before);
    // and it went past its snapshot (the ranked window) into the chronological tail
    const snapshots = (await env.USER_FEED.getByName(viewer.user.id).inspect()).snapshots;
    expect(snapshots.length).toBeGreaterThan(0);
    expect(snapshots[0].size).toBeLessThan(seen.length);
  }, 180_000);

  it("both modes for a follower who is not a friend (friends-only posts of others all hidden)", async () => {
    const outsider = await signup();
    await outsider.follow(friend.user.username);
    await outsider.follow(star.user.username);
    for (const mode of ["latest", "ranked"] as const) {
      const { seen, before } = await walk(outsider, mode, 10);
      expect(duplicates(seen)).toEqual([]);
      expect([...seen].sort()).toEqual([...before].sort());
      const privacy = await env.DB.prepare("SELECT COUNT(*) AS n FROM posts WHERE id IN (SELECT value FROM json_each(?)) AND privacy = 'friends'")
        .bind(JSON.stringify(seen))
        .first<{ n: number }>();
      expect(privacy?.n).toBe(0);
    }
  }, 180_000);

  it("page sizes at both ends (50, and 1 in ranked mode) yield every post once", async () => {
    const small = await signup();
    await small.follow(friend.user.username);
    const { seen, before } = await walk(small, "latest", 50);
    expect(seen).toEqual(before);
    const one: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 40; i++) {
      const res: any = await small.get(`/api/v1/feed?mode=ranked&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      one.push(...ids(res.data.posts));
      cursor = res.data.pagination.nextCursor;
      if (!cursor) break;
    }
    expect(duplicates(one)).toEqual([]);
    expect(one.length).toBe(40);
  }, 120_000);
});

describe("profile pagination with churn", () => {
  it("an author's posts page once each while the author keeps posting", async () => {
    const author = await signup();
    const made: string[] = [];
    for (let i = 0; i < 23; i++) made.push((await author.createPost(`p${i}`)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const res: any = await viewer.get(`/api/v1/users/${author.user.username}/posts?limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...ids(res.data.posts));
      if (!res.data.pagination.hasMore) break;
      cursor = res.data.pagination.nextCursor;
      await author.createPost(`late ${page}`);
    }
    expect(seen).toEqual([...made].reverse());
    expect((await profilePostIds(viewer, author.user.username)).length).toBe(23 + 5);
  });
});
