/**
 * API.md "Finding people, blocking, your account": blocking. Blocking ends the follows both ways;
 * while either has blocked the other, each is to the other as if absent on every read path (post,
 * feeds in both modes and catch-up, profile, profile posts, lists, comments, search, suggestions,
 * the edge-rendered profile page), every socket path (home pushes, celebrity pushes, profile
 * subscriptions, edits, engagement; subscribe_feed answers USER_NOT_FOUND) and every mutation
 * that names the other or their posts (follow, like, comment, share: 404). Counts stay the post's own.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { anonymous, befriend, drainFanout, keyed, profilePostIds, signup, type Client } from "./helpers";
import { socketsClosedAfterEach, type Inbox } from "./socket-helpers";

const live = socketsClosedAfterEach();
const about = (inbox: Inbox, id: string, from = 0) => inbox.messages.slice(from).filter((m) => JSON.stringify(m.payload ?? {}).includes(id));
const counts = async (c: Client, username: string) => {
  const res = await c.get(`/api/v1/users/${username}`);
  return { followers: res.data.user.followerCount, following: res.data.user.followingCount };
};

/** Every HTTP way `viewer` could meet `other` or `other`'s post; returns the ones that leaked. */
async function leaksOf(viewer: Client, other: Client, postId: string, third: { post: string; name: string }): Promise<string[]> {
  const name = other.user.username;
  const leaks: string[] = [];
  const expect404 = async (label: string, res: Promise<{ status: number }>) => {
    const { status } = await res;
    if (status !== 404) leaks.push(`${label} ${status}`);
  };
  await expect404("profile", viewer.get(`/api/v1/users/${name}`));
  await expect404("profile posts", viewer.get(`/api/v1/users/${name}/posts`));
  await expect404("followers", viewer.get(`/api/v1/users/${name}/followers`));
  await expect404("following", viewer.get(`/api/v1/users/${name}/following`));
  await expect404("follow", viewer.post(`/api/v1/users/${name}/follow`));
  await expect404("mute", viewer.post(`/api/v1/users/${name}/mute`));
  await expect404("dismiss", viewer.post(`/api/v1/users/me/suggestions/${name}/dismiss`));
  await expect404("post", viewer.get(`/api/v1/posts/${postId}`));
  await expect404("comments", viewer.get(`/api/v1/posts/${postId}/comments`));
  await expect404("like", viewer.post(`/api/v1/posts/${postId}/like`));
  await expect404("comment", viewer.post(`/api/v1/posts/${postId}/comments`, { content: "hi" }, keyed()));
  await expect404("share", viewer.post(`/api/v1/posts/${postId}/share`, {}, keyed()));
  const page = await viewer.request("GET", `/profile/${name}`);
  if (page.status !== 404) leaks.push(`profile page ${page.status}`);
  const seen = (json: unknown) => JSON.stringify(json).includes(other.user.id);
  for (const mode of ["ranked", "latest"] as const) if (seen(await viewer.wholeFeed(mode, 4))) leaks.push(`feed ${mode}`);
  const first = await viewer.get("/api/v1/feed?limit=1&mode=latest");
  if (seen((await viewer.get(`/api/v1/feed/updates?since=${encodeURIComponent(first.data.pagination.newestCursor)}`)).body)) leaks.push("updates");
  if (seen((await viewer.get(`/api/v1/search/users?q=${name.slice(0, 6)}`)).body)) leaks.push("search");
  if (seen((await viewer.get("/api/v1/users/me/suggestions?limit=20")).body)) leaks.push("suggestions");
  if (seen((await viewer.get(`/api/v1/posts/${third.post}/comments`)).body)) leaks.push("comments on a third post");
  if (seen((await viewer.get(`/api/v1/users/${third.name}/followers`)).body)) leaks.push("a third user's followers");
  return leaks;
}

describe("blocking", () => {
  it("ends the follows both ways with exact counts; a repeat changes nothing; unblocking restores nothing", async () => {
    const [a, b, c] = [await signup(), await signup(), await signup()];
    await befriend(a, b);
    await c.follow(a.user.username);
    const blocked = await a.post(`/api/v1/users/${b.user.username}/block`);
    expect(blocked.status).toBe(200);
    expect(blocked.data).toEqual({ blocked: true });
    expect(await counts(a, a.user.username)).toEqual({ followers: 1, following: 0 });
    expect(await counts(c, b.user.username)).toEqual({ followers: 0, following: 0 });
    expect((await a.post(`/api/v1/users/${b.user.username}/block`)).data).toEqual({ blocked: true });
    expect(await counts(a, a.user.username)).toEqual({ followers: 1, following: 0 });
    const { results } = await env.DB.prepare("SELECT COUNT(*) AS n FROM follows WHERE (follower_id = ?1 AND followee_id = ?2) OR (follower_id = ?2 AND followee_id = ?1)")
      .bind(a.user.id, b.user.id)
      .all<{ n: number }>();
    expect(results[0].n).toBe(0);
    expect((await a.del(`/api/v1/users/${b.user.username}/block`)).data).toEqual({ blocked: false });
    expect((await a.del(`/api/v1/users/${b.user.username}/block`)).data).toEqual({ blocked: false });
    expect((await a.get(`/api/v1/users/${b.user.username}`)).data.user).toMatchObject({ isFollowing: false, isFollowedBy: false });
    // Following again works once unblocked.
    expect((await a.post(`/api/v1/users/${b.user.username}/follow`)).status).toBe(200);
  });

  it("bad input: 400 CANNOT_BLOCK_SELF, 404 for an unknown user; nothing changes", async () => {
    const a = await signup();
    const self = await a.post(`/api/v1/users/${a.user.username}/block`);
    expect([self.status, self.code]).toEqual([400, "CANNOT_BLOCK_SELF"]);
    const unknown = await a.post("/api/v1/users/nobody_by_that_name/block");
    expect([unknown.status, unknown.code]).toEqual([404, "USER_NOT_FOUND"]);
    expect((await a.get("/api/v1/users/me/blocks")).data.users).toEqual([]);
    expect((await a.del(`/api/v1/users/${a.user.username}/block`)).data).toEqual({ blocked: false });
  });

  it("makes each absent to the other on every HTTP path, in both directions; others still see both", async () => {
    const [a, b, t] = [await signup(), await signup(), await signup()];
    await befriend(a, b);
    for (const c of [a, b]) await befriend(c, t);
    const aPost = await a.createPost(`words of ${a.user.username}`);
    const bPost = await b.createPost(`words of ${b.user.username}`);
    const tPost = await t.createPost("a third post");
    for (const c of [a, b]) await c.post(`/api/v1/posts/${tPost.id}/comments`, { content: `comment by ${c.user.username}` }, keyed());
    await b.post(`/api/v1/posts/${tPost.id}/share`, { content: "shared by b" }, keyed());
    for (const c of [a, b, t]) await drainFanout(c.user.id);
    // The control: before the block each sees the other.
    expect((await a.get(`/api/v1/users/${b.user.username}`)).status).toBe(200);
    expect(JSON.stringify(await a.wholeFeed("latest"))).toContain(b.user.id);

    await a.post(`/api/v1/users/${b.user.username}/block`);
    const third = { post: tPost.id, name: t.user.username };
    expect({ blocker: await leaksOf(a, b, bPost.id, third), blocked: await leaksOf(b, a, aPost.id, third) }).toEqual({ blocker: [], blocked: [] });
    // A third user sees both, and the counts stay the posts' own.
    const comments = await t.get(`/api/v1/posts/${tPost.id}/comments`);
    expect(comments.data.comments.map((c: { userId: string }) => c.userId).sort()).toEqual([a.user.id, b.user.id].sort());
    expect((await a.get(`/api/v1/posts/${tPost.id}`)).data.post).toMatchObject({ commentCount: 2, shareCount: 1 });
    expect(await profilePostIds(t, b.user.username)).toContain(bPost.id);
  });

  it("is absent on every socket path: home, celebrity and profile pushes, edits, engagement; subscribe_feed answers USER_NOT_FOUND", async () => {
    const [a, b, t] = [await signup(), await signup(), await signup()];
    await befriend(a, b);
    const fans = await Promise.all(Array.from({ length: 4 }, () => signup()));
    for (const f of fans) await f.follow(a.user.username); // b + 4 fans = 5: a is a celebrity (threshold 5)
    await b.follow(t.user.username);
    const early = await a.createPost("before the block");
    await drainFanout(a.user.id);
    const bHome = await live(b);
    bHome.send({ type: "subscribe_feed", payload: { userId: a.user.id }, requestId: "s1" });
    await bHome.next((m) => m.correlationId === "s1" && m.type === "subscribed");
    bHome.send({ type: "watch_posts", payload: { postIds: [early.id] }, requestId: "w1" });
    await bHome.next((m) => m.correlationId === "w1");
    await expect.poll(async () => (await env.CELEBRITY_FEED.getByName(a.user.id).inspect()).leases.some((l) => l.user_id === b.user.id), { timeout: 5000 }).toBe(true);

    await a.post(`/api/v1/users/${b.user.username}/block`);
    // The blocker's posts leave the blocked user's screen at once.
    await bHome.next((m) => m.type === "post_update" && m.payload.deleted === true && m.payload.postId === early.id);
    const from = bHome.messages.length;
    const later = await a.createPost("after the block");
    await a.patch(`/api/v1/posts/${early.id}`, { content: "edited after the block" });
    await fans[0].post(`/api/v1/posts/${early.id}/like`);
    const shared = await t.post(`/api/v1/posts/${early.id}/share`, { content: "t shares a" }, keyed());
    for (const c of [a, t]) await drainFanout(c.user.id);
    // The share reaches b (b follows t), with the blocked original hidden, as REST answers b.
    const share = await bHome.next((m) => m.type === "new_post" && m.payload.post.id === shared.data.post.id);
    expect(share.payload.post.sharedPost).toBeNull();
    expect(share.payload.post).toEqual((await b.get(`/api/v1/posts/${shared.data.post.id}`)).data.post);
    await new Promise((r) => setTimeout(r, 300));
    expect([...about(bHome, later.id, from), ...about(bHome, early.id, from).filter((m) => m.type !== "new_post")].map((m) => m.type)).toEqual([]);
    bHome.send({ type: "subscribe_feed", payload: { userId: a.user.id }, requestId: "s2" });
    const refused = await bHome.next((m) => m.correlationId === "s2");
    expect([refused.type, refused.payload.code]).toEqual(["error", "USER_NOT_FOUND"]);
    bHome.send({ type: "watch_posts", payload: { postIds: [early.id, later.id] }, requestId: "w2" });
    await bHome.next((m) => m.correlationId === "w2");
    expect((await a.get(`/api/v1/admin/users/${a.user.username}/state`, { authorization: "Bearer test-admin-token" })).data.userFeed.audience.subscribers).not.toContain(b.user.id);
    expect((await env.CELEBRITY_FEED.getByName(a.user.id).inspect()).leases.map((l) => l.user_id)).not.toContain(b.user.id);
  });

  it("the blocked user can block back; the blocks list pages newest first and unblock undoes", async () => {
    const [a, b, c, d] = [await signup(), await signup(), await signup(), await signup()];
    await a.post(`/api/v1/users/${b.user.username}/block`);
    expect((await b.post(`/api/v1/users/${a.user.username}/block`)).data).toEqual({ blocked: true });
    await a.post(`/api/v1/users/${c.user.username}/block`);
    await a.post(`/api/v1/users/${d.user.username}/block`);
    const first = await a.get("/api/v1/users/me/blocks?limit=2");
    expect(first.data.users.map((u: { id: string }) => u.id)).toEqual([d.user.id, c.user.id]);
    expect(first.data.users[0]).toEqual({ id: d.user.id, username: d.user.username, displayName: d.user.displayName, avatarUrl: null, isCelebrity: false });
    const rest = await a.get(`/api/v1/users/me/blocks?limit=2&cursor=${first.data.pagination.nextCursor}`);
    expect(rest.data.users.map((u: { id: string }) => u.id)).toEqual([b.user.id]);
    expect(rest.data.pagination).toEqual({ nextCursor: null, hasMore: false });
    expect((await a.get("/api/v1/users/me/blocks?cursor=!!")).code).toBe("INVALID_CURSOR");
    await a.del(`/api/v1/users/${c.user.username}/block`);
    expect((await a.get("/api/v1/users/me/blocks")).data.users.map((u: { id: string }) => u.id)).toEqual([d.user.id, b.user.id]);
    expect((await a.get(`/api/v1/users/${c.user.username}`)).status).toBe(200);
    // b's own block still holds: a and b stay absent to each other.
    expect((await a.get(`/api/v1/users/${b.user.username}`)).status).toBe(404);
    expect((await anonymous().get("/api/v1/users/me/blocks")).status).toBe(401);
  });
});

describe("blocking reaches conversations and notifications", () => {
  it("a blocked user's likes, comments, follows and mentions notify nobody, their comments are absent, and their @name stays text", async () => {
    const a = await signup();
    const b = await signup();
    const third = await signup();
    const post = await a.createPost("a public post");
    const thirdPost = await third.createPost("a third party's post");
    const bComment = await b.post(`/api/v1/posts/${thirdPost.id}/comments`, { content: "b was here" }, keyed());
    expect(bComment.status).toBe(201);
    expect((await a.post(`/api/v1/users/${b.user.username}/block`)).status).toBe(200);
    // b can no longer reach a's post; a third user's post b comments on: a does not see b's comment.
    expect((await b.post(`/api/v1/posts/${post.id}/like`)).status).toBe(404);
    const listed = await a.get(`/api/v1/posts/${thirdPost.id}/comments`);
    expect(listed.data.comments.map((c: { userId: string }) => c.userId)).not.toContain(b.user.id);
    expect((await a.post(`/api/v1/comments/${bComment.data.comment.id}/like`)).status).toBe(404);
    // A mention of a by b (on the third user's post) is not resolved and notifies a of nothing.
    const mention = await b.post(`/api/v1/posts/${thirdPost.id}/comments`, { content: `hey @${a.user.username}` }, keyed());
    expect(mention.status).toBe(201);
    expect(mention.data.comment.mentions).toEqual([]);
    const mentionPost = await b.createPost(`hello @${a.user.username}`);
    expect(mentionPost.mentions).toEqual([]);
    await b.post(`/api/v1/users/${a.user.username}/follow`);
    const notes = await a.get("/api/v1/notifications");
    expect(notes.status).toBe(200);
    expect(JSON.stringify(notes.data.notifications)).not.toContain(b.user.id);
  });
});

describe("notifications from people who become absent", () => {
  it("a block or a deleted account takes the actor out of notifications already received", async () => {
    const a = await signup();
    const b = await signup();
    const c = await signup("ab" + crypto.randomUUID().slice(0, 8), "correct horse battery");
    const post = await a.createPost("notify me");
    await b.post(`/api/v1/posts/${post.id}/like`);
    await c.post(`/api/v1/posts/${post.id}/like`);
    await b.follow(a.user.username);
    await c.follow(a.user.username);
    const before = await a.get("/api/v1/notifications");
    expect(JSON.stringify(before.data.notifications)).toContain(b.user.id);
    expect(JSON.stringify(before.data.notifications)).toContain(c.user.id);
    expect((await a.post(`/api/v1/users/${b.user.username}/block`)).status).toBe(200);
    expect((await c.request("DELETE", "/api/v1/users/me", { password: "correct horse battery" })).status).toBe(200);
    const after = await a.get("/api/v1/notifications");
    expect(after.status).toBe(200);
    const text = JSON.stringify(after.data.notifications);
    expect(text).not.toContain(b.user.id);
    expect(text).not.toContain(c.user.id);
    expect(after.data.notifications.every((n: { actorCount: number; actors: unknown[] }) => n.actorCount > 0 && n.actors.length > 0)).toBe(true);
  });
});
