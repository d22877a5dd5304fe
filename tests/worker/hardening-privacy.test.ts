/**
 * Hardening: the privacy matrix. A friends-only post is visible to its author and the author's
 * friends (mutual follows) only. For every viewer kind (friend, follower who is not followed back,
 * followee who does not follow back, stranger, signed out) and every way to reach a post (the post,
 * the home feed in both modes and every page, catch-up, profile posts, comments, like, comment,
 * share, the /post/:id page, notifications, socket new_post on the push path, the celebrity path
 * and a profile subscription, engagement and edit/delete updates), non-friends see nothing and
 * friends see it.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkedFetch } from "./contract";
import { anonymous, BASE, befriend, drainFanout, keyed, profilePostIds, signup, type Client } from "./helpers";
import { socketsClosedAfterEach, type Inbox } from "./socket-helpers";

const live = socketsClosedAfterEach();

const mentions = (inbox: Inbox, postId: string) => inbox.messages.filter((m) => JSON.stringify(m.payload ?? {}).includes(postId));

/** Every way a viewer can ask for a post over HTTP; returns the channels through which it leaked. */
async function httpLeaks(viewer: Client, authorName: string, postId: string): Promise<string[]> {
  const leaks: string[] = [];
  const get = await viewer.get(`/api/v1/posts/${postId}`);
  if (get.status !== (viewer.cookie ? 404 : 401)) leaks.push(`GET /posts/:id ${get.status}`);
  if (viewer.cookie) {
    for (const mode of ["ranked", "latest"] as const) if ((await viewer.wholeFeed(mode, 3)).some((p) => p.id === postId)) leaks.push(`feed ${mode}`);
    const first = await viewer.get("/api/v1/feed?limit=1&mode=latest");
    const updates = await viewer.get(`/api/v1/feed/updates?since=${encodeURIComponent(first.data.pagination.newestCursor)}`);
    if (JSON.stringify(updates.body).includes(postId)) leaks.push("feed/updates");
    if ((await profilePostIds(viewer, authorName)).includes(postId)) leaks.push("profile posts");
  }
  const comments = await viewer.get(`/api/v1/posts/${postId}/comments`);
  if (comments.status !== (viewer.cookie ? 404 : 401)) leaks.push(`comments ${comments.status}`);
  const like = await viewer.post(`/api/v1/posts/${postId}/like`);
  if (like.status !== (viewer.cookie ? 404 : 401)) leaks.push(`like ${like.status}`);
  const comment = await viewer.post(`/api/v1/posts/${postId}/comments`, { content: "peek" }, { "X-Idempotency-Key": crypto.randomUUID() });
  if (comment.status !== (viewer.cookie ? 404 : 401)) leaks.push(`comment ${comment.status}`);
  const share = await viewer.post(`/api/v1/posts/${postId}/share`, {}, { "X-Idempotency-Key": crypto.randomUUID() });
  if (share.status !== (viewer.cookie ? 404 : 401)) leaks.push(`share ${share.status}`);
  // The edge-rendered post page: the 404 page, signed in or not, without a trace of the post.
  const page = await checkedFetch(new Request(`${BASE}/post/${postId}`, { headers: viewer.cookie ? { cookie: viewer.cookie } : {} }));
  const html = await page.text();
  if (page.status !== 404 || html.includes(postId)) leaks.push(`/post/:id page ${page.status}`);
  if (viewer.cookie && JSON.stringify((await viewer.get("/api/v1/notifications?limit=100")).body).includes(postId)) leaks.push("notifications");
  return leaks;
}

describe("privacy matrix", () => {
  it("push path: friends-only posts reach friends only, through every endpoint and socket", async () => {
    const author = await signup();
    const friend = await signup();
    const follower = await signup(); // follows the author, not followed back
    const followee = await signup(); // followed by the author, does not follow back
    const stranger = await signup();
    await friend.follow(author.user.username);
    await author.follow(friend.user.username);
    await follower.follow(author.user.username);
    await author.follow(followee.user.username);
    const sockets = { friend: await live(friend), follower: await live(follower), followee: await live(followee), stranger: await live(stranger) };
    // Profile subscriptions from everyone, and watches on the post once it exists.
    for (const inbox of Object.values(sockets)) {
      inbox.send({ type: "subscribe_feed", payload: { userId: author.user.id }, requestId: "sub" });
      await inbox.next((m) => (m.type === "subscribed" || m.type === "error") && m.correlationId === "sub");
    }
    const secret = await author.createPost("for friends only", { privacy: "friends" });
    const open_ = await author.createPost("for everyone");
    await drainFanout(author.user.id);
    for (const inbox of Object.values(sockets)) {
      inbox.send({ type: "watch_posts", payload: { postIds: [secret.id, open_.id] }, requestId: "w" });
      await inbox.next((m) => m.correlationId === "w");
    }
    // Engagement, an edit and then the HTTP matrix; the delete at the end.
    await friend.post(`/api/v1/posts/${secret.id}/like`);
    await friend.post(`/api/v1/posts/${secret.id}/comments`, { content: "nice" }, { "X-Idempotency-Key": crypto.randomUUID() });
    await author.patch(`/api/v1/posts/${secret.id}`, { content: "for friends only (edited)" });
    await drainFanout(author.user.id);

    // The friend sees it everywhere (the control).
    expect(await httpLeaks(friend, author.user.username, secret.id)).toContain("feed latest");
    await sockets.friend.next((m) => m.type === "new_post" && m.payload.post.id === secret.id);
    await sockets.friend.next((m) => m.type === "post_update" && m.payload.post?.id === secret.id);

    const matrix: Record<string, string[]> = {};
    for (const [name, viewer] of [["follower", follower], ["followee", followee], ["stranger", stranger], ["signed out", anonymous()]] as const) {
      matrix[name] = await httpLeaks(viewer, author.user.username, secret.id);
    }
    await author.del(`/api/v1/posts/${secret.id}`);
    await drainFanout(author.user.id);
    await new Promise((r) => setTimeout(r, 500));
    for (const [name, inbox] of Object.entries(sockets)) {
      if (name === "friend") continue;
      const seen = mentions(inbox, secret.id);
      if (seen.length > 0) matrix[`${name} socket`] = seen.map((m) => `${m.type} ${JSON.stringify(m.payload).slice(0, 80)}`);
      // The public post did reach every follower's socket (the socket works).
      if (name === "follower") expect(inbox.messages.some((m) => m.type === "new_post" && m.payload.post.id === open_.id)).toBe(true);
    }
    expect(matrix).toEqual({ follower: [], followee: [], stranger: [], "signed out": [] });
    console.log(`HARDENING privacy (push): 4 non-friend viewers x 12 HTTP channels (the post page and notifications included) + 3 sockets (new_post, subscription, engagement, edit, delete): 0 leaks`);
  });

  it("celebrity path: a celebrity's friends-only post reaches online friends only", async () => {
    const star = await signup();
    const friend = await signup();
    await friend.follow(star.user.username);
    await star.follow(friend.user.username);
    const fans = await Promise.all(Array.from({ length: 5 }, () => signup()));
    for (const f of fans) await f.follow(star.user.username); // 6 followers >= CELEBRITY_THRESHOLD (5)
    const friendLive = await live(friend);
    const fanLive = await Promise.all(fans.map(live));
    await expect.poll(async () => (await env.CELEBRITY_FEED.getByName(star.user.id).inspect()).leases.length, { timeout: 5000 }).toBeGreaterThanOrEqual(6);
    const secret = await star.createPost("celebrity friends only", { privacy: "friends" });
    await drainFanout(star.user.id);
    await friendLive.next((m) => m.type === "new_post" && m.payload.post.id === secret.id);
    await new Promise((r) => setTimeout(r, 500));
    for (const inbox of fanLive) expect(mentions(inbox, secret.id)).toEqual([]);
    for (const fan of fans.slice(0, 2)) expect(await httpLeaks(fan, star.user.username, secret.id)).toEqual([]);
    console.log("HARDENING privacy (celebrity): 5 online non-friend followers, 0 leaks; the online friend received it");
  });

  it("a friendship that ends takes the friends-only posts away", async () => {
    const author = await signup();
    const friend = await signup();
    await friend.follow(author.user.username);
    await author.follow(friend.user.username);
    const secret = await author.createPost("while we were friends", { privacy: "friends" });
    await drainFanout(author.user.id);
    expect((await friend.get(`/api/v1/posts/${secret.id}`)).status).toBe(200);
    await author.del(`/api/v1/users/${friend.user.username}/follow`);
    expect(await httpLeaks(friend, author.user.username, secret.id)).toEqual([]);
  });
});

/** A socket subscribed to `authorId`'s profile feed (subscribe_feed acknowledged). */
async function subscribed(c: Client, authorId: string): Promise<Inbox> {
  const inbox = await live(c);
  inbox.send({ type: "subscribe_feed", payload: { userId: authorId }, requestId: "sub" });
  await inbox.next((m) => m.type === "subscribed" && m.correlationId === "sub");
  return inbox;
}

/** What REST answers this viewer for the post right now: every socket message must equal it. */
async function restView(viewer: Client, postId: string) {
  const res = await viewer.get(`/api/v1/posts/${postId}`);
  expect(res.status).toBe(200);
  return res.data.post;
}

describe("privacy matrix: shares on every live path", () => {
  it("push, subscription and edit: a share of a friends-only post carries sharedPost null to a non-friend, as REST does", async () => {
    const author = await signup();
    const sharer = await signup(); // the author's friend
    const reader = await signup(); // follows the sharer, not the author's friend
    const stranger = await signup(); // follows nobody, watches the sharer's profile
    await befriend(author, sharer);
    await reader.follow(sharer.user.username);
    const secret = await author.createPost("the author's secret words", { privacy: "friends" });
    await sharer.post(`/api/v1/posts/${secret.id}/like`); // the sharer's isLiked must not travel either
    await drainFanout(author.user.id);
    const readerHome = await live(reader);
    const readerProfile = await subscribed(reader, sharer.user.id);
    const strangerProfile = await subscribed(stranger, sharer.user.id);

    const shared = await sharer.post(`/api/v1/posts/${secret.id}/share`, { content: "look at this" }, keyed());
    expect(shared.status).toBe(201);
    const shareId = shared.data.post.id;
    expect(shared.data.post.sharedPost.content).toBe("the author's secret words"); // the sharer may see it
    await drainFanout(sharer.user.id);

    const leaks: string[] = [];
    for (const [name, inbox, viewer] of [
      ["reader home (push)", readerHome, reader],
      ["reader profile (subscription)", readerProfile, reader],
      ["stranger profile (subscription)", strangerProfile, stranger],
    ] as const) {
      const msg = await inbox.next((m) => m.type === "new_post" && m.payload.post.id === shareId);
      if (JSON.stringify(msg.payload).includes("secret words")) leaks.push(`${name}: new_post`);
      expect(msg.payload.post, name).toEqual(await restView(viewer, shareId));
    }
    const edited = await sharer.patch(`/api/v1/posts/${shareId}`, { content: "look again" });
    expect(edited.status).toBe(200);
    await drainFanout(sharer.user.id);
    for (const [name, inbox, viewer] of [
      ["reader home (push)", readerHome, reader],
      ["reader profile", readerProfile, reader],
    ] as const) {
      const msg = await inbox.next((m) => m.type === "post_update" && m.payload.post?.id === shareId && m.payload.post.content === "look again");
      if (JSON.stringify(msg.payload).includes("secret words")) leaks.push(`${name}: post_update`);
      expect(msg.payload.post, name).toEqual(await restView(viewer, shareId));
    }
    expect(leaks).toEqual([]);
    console.log("HARDENING privacy (shares): push, 2 subscriptions, edit: every message equals REST for its reader, 0 leaks");
  });

  it("isLiked in a pushed share is the recipient's own, on the original and on the share", async () => {
    const author = await signup();
    const sharer = await signup();
    const liker = await signup(); // liked the original
    const other = await signup(); // did not
    for (const c of [liker, other]) await c.follow(sharer.user.username);
    const original = await author.createPost("a public thought");
    await liker.post(`/api/v1/posts/${original.id}/like`);
    const likerLive = await live(liker);
    const otherLive = await live(other);
    const shared = await sharer.post(`/api/v1/posts/${original.id}/share`, {}, keyed());
    await drainFanout(sharer.user.id);
    const toLiker = await likerLive.next((m) => m.type === "new_post" && m.payload.post.id === shared.data.post.id);
    const toOther = await otherLive.next((m) => m.type === "new_post" && m.payload.post.id === shared.data.post.id);
    expect(toLiker.payload.post.sharedPost.isLiked).toBe(true);
    expect(toOther.payload.post.sharedPost.isLiked).toBe(false);
    expect(toLiker.payload.post).toEqual(await restView(liker, shared.data.post.id));
  });

  it("celebrity path: a celebrity's share of a friends-only post reaches its online followers with sharedPost null", async () => {
    const author = await signup();
    const star = await signup(); // the author's friend, and a celebrity (threshold 5 in tests)
    await befriend(author, star);
    const fans = await Promise.all(Array.from({ length: 5 }, () => signup()));
    for (const f of fans) await f.follow(star.user.username);
    const secret = await author.createPost("only my friends, please", { privacy: "friends" });
    await drainFanout(author.user.id);
    const fanLive = await Promise.all(fans.map(live));
    await expect.poll(async () => (await env.CELEBRITY_FEED.getByName(star.user.id).inspect()).leases.length, { timeout: 5000 }).toBeGreaterThanOrEqual(5);
    const shared = await star.post(`/api/v1/posts/${secret.id}/share`, { content: "boost" }, keyed());
    expect(shared.status).toBe(201);
    await drainFanout(star.user.id);
    for (const [i, inbox] of fanLive.entries()) {
      const msg = await inbox.next((m) => m.type === "new_post" && m.payload.post.id === shared.data.post.id);
      expect(JSON.stringify(msg.payload)).not.toContain("only my friends");
      expect(msg.payload.post).toEqual(await restView(fans[i], shared.data.post.id));
    }
  });
});

describe("privacy matrix: friendships that end", () => {
  it("an ex-friend's socket hears nothing more of a friends-only post: edits, likes, comments, in both directions", async () => {
    const author = await signup();
    const leaver = await signup(); // unfollows the author
    const left = await signup(); // the author unfollows them
    const friend = await signup(); // stays a friend and engages
    for (const c of [leaver, left, friend]) await befriend(author, c);
    const secret = await author.createPost("between friends", { privacy: "friends" });
    await drainFanout(author.user.id);
    const sockets = { leaver: await live(leaver), left: await live(left), friend: await live(friend) };
    for (const inbox of Object.values(sockets)) {
      inbox.send({ type: "watch_posts", payload: { postIds: [secret.id] }, requestId: "w" });
      const ack = await inbox.next((m) => m.correlationId === "w");
      expect(ack.type).toBe("watching");
    }
    // Still friends: the control, an engagement reaches every watcher.
    await friend.post(`/api/v1/posts/${secret.id}/like`);
    for (const inbox of Object.values(sockets)) await inbox.next((m) => m.type === "engagement_update" && m.payload.postId === secret.id);

    await leaver.del(`/api/v1/users/${author.user.username}/follow`);
    await author.del(`/api/v1/users/${left.user.username}/follow`);
    const before = { leaver: sockets.leaver.messages.length, left: sockets.left.messages.length };
    await friend.post(`/api/v1/posts/${secret.id}/comments`, { content: "still here" }, keyed());
    await friend.del(`/api/v1/posts/${secret.id}/like`);
    await author.patch(`/api/v1/posts/${secret.id}`, { content: "between friends (edited)" });
    await drainFanout(author.user.id);
    await sockets.friend.next((m) => m.type === "post_update" && m.payload.post?.content === "between friends (edited)");
    await new Promise((r) => setTimeout(r, 300));
    const heard = {
      leaver: mentions({ messages: sockets.leaver.messages.slice(before.leaver) } as Inbox, secret.id).map((m) => m.type),
      left: mentions({ messages: sockets.left.messages.slice(before.left) } as Inbox, secret.id).map((m) => m.type),
    };
    expect(heard).toEqual({ leaver: [], left: [] });
    // And the post is gone from their reads, the edited text included.
    for (const c of [leaver, left]) expect(await httpLeaks(c, author.user.username, secret.id)).toEqual([]);
  });
});
