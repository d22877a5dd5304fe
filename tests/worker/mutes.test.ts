/**
 * API.md: muting takes the muted user's posts and shares out of the muter's home feed (both
 * orders, every page, catch-up) and its live pushes (deliveries and celebrity pushes), and changes
 * nothing else: the profile, its posts, the post itself, search and a share by someone else of a
 * muted user's post stay as they were. The muted user is not told. Unmuting brings the posts back.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { drainFanout, ids, keyed, profilePostIds, signup, type Client } from "./helpers";
import { socketsClosedAfterEach } from "./socket-helpers";

const live = socketsClosedAfterEach();

async function catchUpIds(c: Client, since: string): Promise<string[]> {
  return ids((await c.get(`/api/v1/feed/updates?since=${encodeURIComponent(since)}`)).data.posts);
}

describe("muting", () => {
  it("takes the muted user's posts and shares out of the home feed, both orders and catch-up; unmute brings them back", async () => {
    const [viewer, loud, friend] = [await signup(), await signup(), await signup()];
    for (const c of [loud, friend]) await viewer.follow(c.user.username);
    const own = await viewer.createPost("my own");
    const loudPost = await loud.createPost("loud words");
    const friendPost = await friend.createPost("friend words");
    const loudShare = (await loud.post(`/api/v1/posts/${friendPost.id}/share`, { content: "loud shares" }, keyed())).data.post;
    const friendShare = (await friend.post(`/api/v1/posts/${loudPost.id}/share`, { content: "friend shares loud" }, keyed())).data.post;
    for (const c of [loud, friend]) await drainFanout(c.user.id);
    const before = await viewer.get("/api/v1/feed?mode=latest");
    expect(new Set(ids(before.data.posts))).toEqual(new Set([own.id, loudPost.id, friendPost.id, loudShare.id, friendShare.id]));

    const muted = await viewer.post(`/api/v1/users/${loud.user.username}/mute`);
    expect([muted.status, muted.data]).toEqual([200, { muted: true }]);
    const expected = new Set([own.id, friendPost.id, friendShare.id]);
    for (const mode of ["ranked", "latest"] as const) {
      expect(new Set(ids(await viewer.wholeFeed(mode, 2))), mode).toEqual(expected);
    }
    // A share by someone else still embeds the muted user's original.
    const shown = (await viewer.get("/api/v1/feed?mode=latest")).data.posts.find((p: { id: string }) => p.id === friendShare.id);
    expect(shown.sharedPost.id).toBe(loudPost.id);
    const newer = await loud.createPost("loud again");
    await drainFanout(loud.user.id);
    expect(await catchUpIds(viewer, before.data.pagination.newestCursor)).not.toContain(newer.id);
    // Nothing else changes: the post, the profile and its posts, search.
    expect((await viewer.get(`/api/v1/posts/${loudPost.id}`)).status).toBe(200);
    const profile = await viewer.get(`/api/v1/users/${loud.user.username}`);
    expect(profile.data.user).toMatchObject({ isMuted: true, isFollowing: true });
    expect(await profilePostIds(viewer, loud.user.username)).toContain(newer.id);
    expect(ids((await viewer.get(`/api/v1/search/users?q=${loud.user.username}`)).data.users)).toEqual([loud.user.id]);
    // The muted user is not told: its view of the muter says nothing of it (isMuted is its own mute).
    const seenByLoud = (await loud.get(`/api/v1/users/${viewer.user.username}`)).data.user;
    expect(Object.keys(seenByLoud).filter((k) => /mute/i.test(k))).toEqual(["isMuted"]);
    expect(seenByLoud).toMatchObject({ isMuted: false, isFollowedBy: true });

    expect((await viewer.del(`/api/v1/users/${loud.user.username}/mute`)).data).toEqual({ muted: false });
    expect(new Set(ids(await viewer.wholeFeed("latest", 3)))).toEqual(new Set([...expected, loudPost.id, loudShare.id, newer.id]));
    expect((await viewer.get(`/api/v1/users/${loud.user.username}`)).data.user.isMuted).toBe(false);
  });

  it("keeps the muted user's new posts off the muter's socket: deliveries and celebrity pushes; others still get them", async () => {
    const [muter, other, pushed] = [await signup(), await signup(), await signup()];
    const fans = await Promise.all(Array.from({ length: 3 }, () => signup()));
    const star = await signup();
    for (const f of [muter, other, ...fans]) await f.follow(star.user.username); // 5: a celebrity
    for (const f of [muter, other]) await f.follow(pushed.user.username);
    await muter.post(`/api/v1/users/${star.user.username}/mute`);
    await muter.post(`/api/v1/users/${pushed.user.username}/mute`);
    await star.createPost("first star post"); // makes the star a pull source
    await drainFanout(star.user.id);
    const [muterLive, otherLive] = [await live(muter), await live(other)];
    await expect.poll(async () => (await env.CELEBRITY_FEED.getByName(star.user.id).inspect()).leases.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    const fromStar = await star.createPost("star speaks");
    const fromPushed = await pushed.createPost("pushed speaks");
    for (const c of [star, pushed]) await drainFanout(c.user.id);
    for (const id of [fromStar.id, fromPushed.id]) await otherLive.next((m) => m.type === "new_post" && m.payload.post.id === id);
    await new Promise((r) => setTimeout(r, 300));
    expect(muterLive.messages.filter((m) => m.type === "new_post").map((m) => m.payload.post.id)).toEqual([]);
    // The delivery still landed in the timeline (so unmuting brings it back); the read leaves it out.
    expect(ids((await muter.get("/api/v1/feed?mode=latest")).data.posts)).not.toContain(fromPushed.id);
    await muter.del(`/api/v1/users/${pushed.user.username}/mute`);
    expect(ids((await muter.get("/api/v1/feed?mode=latest")).data.posts)).toContain(fromPushed.id);
  });

  it("bad input: 400 CANNOT_MUTE_SELF, 404 unknown or blocked either way; the mutes list pages newest first", async () => {
    const [a, b, c, blocker] = [await signup(), await signup(), await signup(), await signup()];
    const self = await a.post(`/api/v1/users/${a.user.username}/mute`);
    expect([self.status, self.code]).toEqual([400, "CANNOT_MUTE_SELF"]);
    expect((await a.post("/api/v1/users/no_such_person/mute")).status).toBe(404);
    await blocker.post(`/api/v1/users/${a.user.username}/block`);
    expect((await a.post(`/api/v1/users/${blocker.user.username}/mute`)).status).toBe(404);
    expect((await blocker.post(`/api/v1/users/${a.user.username}/mute`)).status).toBe(404);
    await a.post(`/api/v1/users/${b.user.username}/mute`);
    await a.post(`/api/v1/users/${c.user.username}/mute`);
    await a.post(`/api/v1/users/${c.user.username}/mute`); // idempotent
    const first = await a.get("/api/v1/users/me/mutes?limit=1");
    expect(ids(first.data.users)).toEqual([c.user.id]);
    const rest = await a.get(`/api/v1/users/me/mutes?limit=1&cursor=${first.data.pagination.nextCursor}`);
    expect(ids(rest.data.users)).toEqual([b.user.id]);
    expect(rest.data.pagination.hasMore).toBe(false);
    expect((await a.get("/api/v1/users/me/mutes?limit=0")).code).toBe("VALIDATION_ERROR");
  });
});
