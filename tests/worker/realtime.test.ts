import { env } from "cloudflare:workers";
import { evictDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { drainFanout, signup, type Client } from "./helpers";
import { connect, openSocket, type Inbox } from "./socket-helpers";

const open: Inbox[] = [];
async function live(client: Client): Promise<Inbox> {
  const inbox = await connect(client);
  open.push(inbox);
  return inbox;
}
afterEach(() => {
  open.splice(0).forEach((i) => i.close());
});

const isNewPost = (id: string) => (m: { type: string; payload: any }) => m.type === "new_post" && m.payload.post.id === id;

/** Users who follow each other. */
async function befriend(a: Client, b: Client) {
  await a.follow(b.user.username);
  await b.follow(a.user.username);
}

/** An author with `n` followers (threshold is 5 in tests, so n >= 5 makes a celebrity). */
async function authorWithFollowers(n: number): Promise<{ author: Client; followers: Client[] }> {
  const author = await signup();
  const followers = await Promise.all(Array.from({ length: n }, () => signup()));
  for (const f of followers) await f.follow(author.user.username);
  return { author, followers };
}

describe("connecting", () => {
  it("refuses the upgrade without a session (401 before upgrade)", async () => {
    const { res, inbox } = await openSocket({ cookie: "" } as Client);
    expect(res.status).toBe(401);
    expect(inbox).toBeUndefined();
    expect((await res.json<any>()).error.code).toBe("UNAUTHENTICATED");
  });

  it("sends connection_ack first, then answers ping with pong and the requestId", async () => {
    const alice = await signup();
    const { inbox } = await openSocket(alice);
    open.push(inbox!);
    const ack = await inbox!.next(() => true);
    expect(ack.type).toBe("connection_ack");
    expect(typeof ack.payload.clientId).toBe("string");
    inbox!.send({ type: "ping", requestId: "r-42" });
    const pong = await inbox!.next((m) => m.type === "pong");
    expect(pong.correlationId).toBe("r-42");
  });

  it("answers a bare 'ping' text frame with 'pong'", async () => {
    const alice = await signup();
    const inbox = await live(alice);
    inbox.send("ping");
    const pong = await inbox.next((m) => m.type === "raw");
    expect(pong.payload).toBe("pong");
  });
});

describe("new_post", () => {
  it("pushes a followed author's post to the follower's socket (push path)", async () => {
    const alice = await signup();
    const bob = await signup();
    await bob.follow(alice.user.username);
    const bobLive = await live(bob);
    const post = await alice.createPost("hello live world");
    await drainFanout(alice.user.id);
    const msg = await bobLive.next(isNewPost(post.id));
    expect(msg.payload.post.content).toBe("hello live world");
    expect(msg.payload.post.author.username).toBe(alice.user.username);
  });

  it("pushes a celebrity's post to online followers through leases, with one outbox write", async () => {
    const { author: star, followers } = await authorWithFollowers(5);
    const [online, offline] = followers;
    const onlineLive = await live(online);
    // The online follower's object holds a lease at the celebrity's object once connected.
    await expect.poll(async () => (await env.CELEBRITY_FEED.getByName(star.user.id).inspect()).leases.map((l) => l.user_id)).toContain(online.user.id);
    const post = await star.createPost("a word from the star");
    await drainFanout(star.user.id);
    await onlineLive.next(isNewPost(post.id));
    const outbox = await env.CELEBRITY_FEED.getByName(star.user.id).inspect();
    expect(outbox.outboxNewest.map((e) => e.post_id)).toContain(post.id);
    // Pull path: nothing was written into followers' timelines, yet the feed has it.
    const offlineState = await env.USER_FEED.getByName(offline.user.id).inspect();
    expect(offlineState.timeline.newest.map((e) => e.postId)).not.toContain(post.id);
    const feed = await offline.get("/api/v1/feed?mode=latest");
    expect(feed.data.posts.map((p: any) => p.id)).toContain(post.id);
  });

  it("never sends a friends-only post to a non-friend's socket (push, celebrity and subscription paths)", async () => {
    const alice = await signup();
    const friend = await signup();
    const follower = await signup();
    const stranger = await signup();
    await befriend(alice, friend);
    await follower.follow(alice.user.username);
    const friendLive = await live(friend);
    const followerLive = await live(follower);
    const strangerLive = await live(stranger);
    strangerLive.send({ type: "subscribe_feed", payload: { userId: alice.user.id }, requestId: "s1" });
    await strangerLive.next((m) => m.type === "subscribed");
    const secret = await alice.createPost("friends only", { privacy: "friends" });
    const open_ = await alice.createPost("for everyone");
    await drainFanout(alice.user.id);
    await friendLive.next(isNewPost(secret.id));
    await followerLive.next(isNewPost(open_.id));
    await strangerLive.next(isNewPost(open_.id));
    expect(followerLive.messages.some(isNewPost(secret.id))).toBe(false);
    expect(strangerLive.messages.some(isNewPost(secret.id))).toBe(false);

  });

  it("never sends a celebrity's friends-only post to a non-friend's socket", async () => {
    const { author: star, followers } = await authorWithFollowers(5);
    const [friend, follower] = followers;
    await star.follow(friend.user.username);
    const friendLive = await live(friend);
    const followerLive = await live(follower);
    await expect.poll(async () => (await env.CELEBRITY_FEED.getByName(star.user.id).inspect()).leases.length).toBe(2);
    const secret = await star.createPost("celebrity friends only", { privacy: "friends" });
    const open_ = await star.createPost("celebrity for everyone");
    await drainFanout(star.user.id);
    await friendLive.next(isNewPost(secret.id));
    await followerLive.next(isNewPost(open_.id));
    expect(followerLive.messages.some(isNewPost(secret.id))).toBe(false);
  });

  it("subscribe_feed streams an author's posts to a profile viewer who does not follow them", async () => {
    const alice = await signup();
    const carol = await signup();
    const carolLive = await live(carol);
    carolLive.send({ type: "subscribe_feed", payload: { userId: alice.user.id }, requestId: "sub" });
    const ok = await carolLive.next((m) => m.type === "subscribed");
    expect(ok.correlationId).toBe("sub");
    const post = await alice.createPost("profile live");
    await carolLive.next(isNewPost(post.id));
    carolLive.send({ type: "unsubscribe_feed", payload: { userId: alice.user.id } });
    await carolLive.next((m) => m.type === "unsubscribed");
    const later = await alice.createPost("after unsubscribe");
    expect(await carolLive.none(isNewPost(later.id), 300)).toBe(true);
  });
});

describe("engagement_update and post_update", () => {
  it("sends like, comment and share counts for watched posts", async () => {
    const alice = await signup();
    const bob = await signup();
    const post = await alice.createPost("watch me");
    const bobLive = await live(bob);
    bobLive.send({ type: "watch_posts", payload: { postIds: [post.id] }, requestId: "w" });
    expect((await bobLive.next((m) => m.type === "watching")).payload.count).toBe(1);
    const carol = await signup();
    await carol.post(`/api/v1/posts/${post.id}/like`);
    const like = await bobLive.next((m) => m.type === "engagement_update" && m.payload.field === "likeCount");
    expect(like.payload).toEqual({ postId: post.id, field: "likeCount", delta: 1, newValue: 1 });
    await carol.post(`/api/v1/posts/${post.id}/comments`, { content: "nice" }, { "X-Idempotency-Key": crypto.randomUUID() });
    const comment = await bobLive.next((m) => m.type === "engagement_update" && m.payload.field === "commentCount");
    expect(comment.payload.newValue).toBe(1);
    await carol.post(`/api/v1/posts/${post.id}/share`, {}, { "X-Idempotency-Key": crypto.randomUUID() });
    const share = await bobLive.next((m) => m.type === "engagement_update" && m.payload.field === "shareCount");
    expect(share.payload.newValue).toBe(1);
  });

  it("sends counts for home-feed posts without an explicit watch", async () => {
    const alice = await signup();
    const bob = await signup();
    await bob.follow(alice.user.username);
    const post = await alice.createPost("in bob's feed");
    await drainFanout(alice.user.id);
    const bobLive = await live(bob);
    await expect.poll(async () => (await env.USER_FEED.getByName(alice.user.id).inspect()).audience.watchers).toBeGreaterThan(0);
    await alice.post(`/api/v1/posts/${post.id}/like`);
    const update = await bobLive.next((m) => m.type === "engagement_update");
    expect(update.payload).toMatchObject({ postId: post.id, field: "likeCount", newValue: 1 });
  });

  it("sends post_update after an edit and a delete", async () => {
    const alice = await signup();
    const bob = await signup();
    await bob.follow(alice.user.username);
    const post = await alice.createPost("first draft");
    await drainFanout(alice.user.id);
    const bobLive = await live(bob);
    const edited = await alice.patch(`/api/v1/posts/${post.id}`, { content: "second draft" });
    expect(edited.status).toBe(200);
    await drainFanout(alice.user.id);
    const update = await bobLive.next((m) => m.type === "post_update" && m.payload.post?.id === post.id);
    expect(update.payload.post.content).toBe("second draft");
    expect((await alice.del(`/api/v1/posts/${post.id}`)).status).toBe(200);
    await drainFanout(alice.user.id);
    const gone = await bobLive.next((m) => m.type === "post_update" && m.payload.deleted === true);
    expect(gone.payload).toEqual({ postId: post.id, deleted: true });
  });

  it("reaches 200 sockets watching one post", async () => {
    const alice = await signup();
    const post = await alice.createPost("popular");
    const viewers = await Promise.all(Array.from({ length: 20 }, () => signup()));
    const sockets: Inbox[] = [];
    for (const viewer of viewers) {
      for (let i = 0; i < 10; i++) {
        const inbox = await live(viewer);
        inbox.send({ type: "watch_posts", payload: { postIds: [post.id] } });
        await inbox.next((m) => m.type === "watching");
        sockets.push(inbox);
      }
    }
    expect(sockets).toHaveLength(200);
    await alice.post(`/api/v1/posts/${post.id}/like`);
    const updates = await Promise.all(sockets.map((s) => s.next((m) => m.type === "engagement_update" && m.payload.postId === post.id)));
    expect(updates.every((u) => u.payload.newValue === 1)).toBe(true);
  });
});

describe("bad messages", () => {
  it("answers each bad message with an error and keeps the socket working", async () => {
    const alice = await signup();
    const inbox = await live(alice);
    const bad: unknown[] = [
      "not json{",
      JSON.stringify({ type: "dance" }),
      JSON.stringify({ type: "subscribe_feed", payload: {} }),
      JSON.stringify({ type: "watch_posts", payload: { postIds: "nope" } }),
      JSON.stringify({ type: "watch_posts", payload: { postIds: Array.from({ length: 201 }, (_, i) => `p${i}`) } }),
      JSON.stringify({ type: "subscribe_feed", payload: { userId: "01NOSUCHUSER0000000000000" } }),
      JSON.stringify({ type: "ping", payload: "x".repeat(17 * 1024) }),
      JSON.stringify([1, 2, 3]),
      "null",
    ];
    for (const [i, message] of bad.entries()) {
      inbox.send(message as string);
      inbox.send({ type: "ping", requestId: `after-${i}` });
      await inbox.next((m) => m.type === "pong" && m.correlationId === `after-${i}`);
    }
    const errors = inbox.messages.filter((m) => m.type === "error");
    expect(errors).toHaveLength(bad.length);
    for (const e of errors) expect(typeof e.payload.code).toBe("string");
    expect(errors.map((e) => e.payload.code)).toContain("MESSAGE_TOO_LARGE");
    expect(errors.map((e) => e.payload.code)).toContain("UNKNOWN_MESSAGE_TYPE");
    expect(inbox.closed).toBe(false);
  });
});

describe("hibernation", () => {
  it("a socket survives the object's hibernation and still receives", async () => {
    const alice = await signup();
    const bob = await signup();
    await bob.follow(alice.user.username);
    const bobLive = await live(bob);
    bobLive.send({ type: "subscribe_feed", payload: { userId: alice.user.id } });
    await bobLive.next((m) => m.type === "subscribed");
    await evictDurableObject(env.USER_FEED.getByName(bob.user.id), { webSockets: "hibernate" });
    const post = await alice.createPost("after the nap");
    await drainFanout(alice.user.id);
    await bobLive.next(isNewPost(post.id));
    // State in the attachment survived too: the subscription still filters, ping still answers.
    bobLive.send({ type: "ping", requestId: "awake" });
    await bobLive.next((m) => m.correlationId === "awake");
    const state = await env.USER_FEED.getByName(bob.user.id).inspect();
    expect(state.sockets[0].subscriptions).toEqual([alice.user.id]);
  });
});
