/**
 * API.md "Notifications": grouping (a kind on one target while unread, follows per UTC day,
 * actors newest first, at most 3, actorCount), who is told what (comment, reply, friend...),
 * nothing of one's own actions, undo, read, paging, caps, privacy, and the live message.
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { Notification } from "../../schema/api";
import { app } from "../../worker/app";
import { countingDb, countingNamespace, type Counts } from "../../worker/routes/bench";
import { anonymous, BASE, befriend, drainFanout, inUserFeed, keyed, signup, signupMany, type Client } from "./helpers";
import { connect, type Inbox } from "./socket-helpers";

async function notifications(client: Client, query = ""): Promise<{ notifications: Notification[]; unreadCount: number; pagination: any }> {
  const res = await client.get(`/api/v1/notifications${query}`);
  if (res.status !== 200) throw new Error(`notifications failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.data;
}
const kinds = async (client: Client) => (await notifications(client)).notifications.map((n) => n.kind);
/** The kinds about posts and comments (befriending in a test's setup leaves follow/friend ones). */
const postKinds = async (client: Client) => (await kinds(client)).filter((k) => k !== "follow" && k !== "friend");
const names = (n: Notification) => n.actors.map((a) => a.username);

async function comment(client: Client, postId: string, content: string, parentId?: string) {
  const res = await client.post(`/api/v1/posts/${postId}/comments`, { content, ...(parentId ? { parentId } : {}) }, keyed());
  if (res.status !== 201) throw new Error(`comment failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.data.comment as { id: string };
}

const open: Inbox[] = [];
afterEach(() => open.splice(0).forEach((i) => i.close()));

describe("grouping", () => {
  it("likes on one post are one group: actors newest first, at most 3, actorCount; the preview is the post's text", async () => {
    const author = await signup();
    const fans = await signupMany(5, "gl");
    const post = await author.createPost("a post worth liking");
    for (const f of fans) await f.post(`/api/v1/posts/${post.id}/like`);
    const { notifications: list, unreadCount } = await notifications(author);
    expect(unreadCount).toBe(1);
    expect(list).toHaveLength(1);
    const [n] = list;
    expect(n).toMatchObject({ kind: "like", actorCount: 5, postId: post.id, preview: "a post worth liking", read: false });
    expect(names(n)).toEqual([fans[4], fans[3], fans[2]].map((f) => f.user.username));
    expect(n.actors[0]).toEqual({ id: fans[4].user.id, username: fans[4].user.username, displayName: fans[4].user.displayName, avatarUrl: null, isCelebrity: false });
    expect(n.updatedAt >= n.createdAt).toBe(true);
    expect(Object.keys(n).sort()).toEqual(["actorCount", "actors", "createdAt", "id", "kind", "postId", "preview", "read", "updatedAt"]);
  });

  it("a burst of 100 concurrent likes updates one group: exact actorCount, one notification", async () => {
    const author = await signup();
    const fans = await signupMany(100, "bu");
    const post = await author.createPost("viral");
    const res = await Promise.all(fans.map((f) => f.post(`/api/v1/posts/${post.id}/like`)));
    expect(res.every((r) => r.status === 200)).toBe(true);
    const { notifications: list } = await notifications(author);
    expect(list).toHaveLength(1);
    expect(list[0].actorCount).toBe(100);
    const state = await inUserFeed(author.user.id, (feed) => feed.notifications.summary());
    expect(state).toEqual({ groups: 1, actorRows: 100, unread: 1 });
  });

  it("different posts and kinds are different groups; a group read is closed and the next like opens a new one", async () => {
    const [author, a, b] = await signupMany(3, "gk");
    const p1 = await author.createPost("one");
    const p2 = await author.createPost("two");
    await a.post(`/api/v1/posts/${p1.id}/like`);
    await a.post(`/api/v1/posts/${p2.id}/like`);
    await comment(a, p1.id, "nice");
    const first = await notifications(author);
    expect(first.notifications.map((n) => [n.kind, n.postId])).toEqual([["comment", p1.id], ["like", p2.id], ["like", p1.id]]);
    expect(first.unreadCount).toBe(3);
    const read = await author.post("/api/v1/notifications/read", {});
    expect(read.data).toEqual({ unreadCount: 0 });
    await b.post(`/api/v1/posts/${p1.id}/like`);
    const after = await notifications(author);
    expect(after.unreadCount).toBe(1);
    const fresh = after.notifications[0];
    expect(fresh).toMatchObject({ kind: "like", postId: p1.id, actorCount: 1, read: false });
    expect(fresh.id).not.toBe(first.notifications[2].id);
    expect(after.notifications.filter((n) => n.read)).toHaveLength(3);
  });

  it("comments: the post's author gets `comment`; a reply gives the top-level comment's author `reply` and the post's author `comment`", async () => {
    const [author, a, b] = await signupMany(3, "gc");
    const post = await author.createPost("talk to me");
    const top = await comment(a, post.id, "first thoughts");
    await comment(b, post.id, "I disagree", top.id);
    const forA = (await notifications(a)).notifications;
    expect(forA).toHaveLength(1);
    expect(forA[0]).toMatchObject({ kind: "reply", postId: post.id, actorCount: 1, preview: "I disagree" });
    const forAuthor = (await notifications(author)).notifications;
    expect(forAuthor).toHaveLength(1);
    expect(forAuthor[0]).toMatchObject({ kind: "comment", postId: post.id, actorCount: 2, preview: "I disagree" });
    expect(names(forAuthor[0])).toEqual([b.user.username, a.user.username]);
    // The post's author answering on their own post: the top-level author hears `reply`, nobody
    // hears of their own action, and the same person twice counts once.
    await comment(author, post.id, "thanks", top.id);
    await comment(author, post.id, "and again", top.id);
    const again = (await notifications(a)).notifications[0];
    expect(again).toMatchObject({ kind: "reply", actorCount: 2, preview: "and again" });
    expect(await kinds(author)).toEqual(["comment"]);
  });

  it("a reply to the post author's own comment gives them one notification, `reply`", async () => {
    const [author, a] = await signupMany(2, "gr");
    const post = await author.createPost("mine");
    const top = await comment(author, post.id, "my own comment");
    await comment(a, post.id, "answer", top.id);
    const list = (await notifications(author)).notifications;
    expect(list.map((n) => n.kind)).toEqual(["reply"]);
  });

  it("follows group per UTC day; a follow back is `friend`; share and comment_like have their kinds", async () => {
    const [ada, b, c] = await signupMany(3, "gf");
    await b.follow(ada.user.username);
    await c.follow(ada.user.username);
    const follows = (await notifications(ada)).notifications;
    expect(follows).toHaveLength(1);
    expect(follows[0]).toMatchObject({ kind: "follow", actorCount: 2 });
    expect(follows[0].postId).toBeUndefined();
    await ada.follow(b.user.username);
    expect((await notifications(b)).notifications.map((n) => [n.kind, names(n)])).toEqual([["friend", [ada.user.username]]]);
    const post = await ada.createPost("share me");
    const share = await b.post(`/api/v1/posts/${post.id}/share`, { content: "look" }, keyed());
    expect(share.status).toBe(201);
    const cm = await comment(ada, post.id, "my comment");
    await c.post(`/api/v1/comments/${cm.id}/like`);
    expect((await notifications(ada)).notifications.map((n) => [n.kind, n.postId, n.commentId ?? null])).toEqual([
      ["comment_like", post.id, cm.id],
      ["share", post.id, null],
      ["follow", undefined, null],
    ]);
  });

  it("nobody is notified of their own actions", async () => {
    const me = await signup();
    const post = await me.createPost(`note to self @${me.user.username}`);
    await me.post(`/api/v1/posts/${post.id}/like`);
    const c = await comment(me, post.id, "talking to myself");
    await comment(me, post.id, "still me", c.id);
    await me.post(`/api/v1/comments/${c.id}/like`);
    await me.post(`/api/v1/posts/${post.id}/share`, {}, keyed());
    expect(await notifications(me)).toMatchObject({ notifications: [], unreadCount: 0 });
  });
});

describe("undo", () => {
  it("unlike while unread takes the actor out; the last one out removes the group", async () => {
    const [author, a, b] = await signupMany(3, "ul");
    const post = await author.createPost("fickle");
    await a.post(`/api/v1/posts/${post.id}/like`);
    await b.post(`/api/v1/posts/${post.id}/like`);
    await a.del(`/api/v1/posts/${post.id}/like`);
    const one = (await notifications(author)).notifications;
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ actorCount: 1 });
    expect(names(one[0])).toEqual([b.user.username]);
    await b.del(`/api/v1/posts/${post.id}/like`);
    expect(await notifications(author)).toMatchObject({ notifications: [], unreadCount: 0 });
    // A repeated unlike (nothing to undo) and a like again: back in, once.
    await b.del(`/api/v1/posts/${post.id}/like`);
    await b.post(`/api/v1/posts/${post.id}/like`);
    await b.post(`/api/v1/posts/${post.id}/like`);
    expect((await notifications(author)).notifications.map((n) => n.actorCount)).toEqual([1]);
  });

  it("an undo after the group was read leaves it as it was", async () => {
    const [author, a] = await signupMany(2, "ur");
    const post = await author.createPost("seen");
    await a.post(`/api/v1/posts/${post.id}/like`);
    await author.post("/api/v1/notifications/read", {});
    await a.del(`/api/v1/posts/${post.id}/like`);
    expect((await notifications(author)).notifications.map((n) => [n.kind, n.actorCount, n.read])).toEqual([["like", 1, true]]);
  });

  it("unfollow takes the follower out of the day's group", async () => {
    const [ada, b, c] = await signupMany(3, "uf");
    await b.follow(ada.user.username);
    await c.follow(ada.user.username);
    await b.del(`/api/v1/users/${ada.user.username}/follow`);
    const list = (await notifications(ada)).notifications;
    expect(list.map((n) => [n.kind, n.actorCount, names(n)])).toEqual([["follow", 1, [c.user.username]]]);
  });

  it("deleting a comment takes out what it caused (comment, reply, mention); deleting a post removes what is about it", async () => {
    const [author, a, b] = await signupMany(3, "ud");
    const post = await author.createPost("about to change");
    const top = await comment(a, post.id, "top");
    const reply = await comment(b, post.id, `reply with @${author.user.username}`, top.id);
    await author.post(`/api/v1/comments/${top.id}/like`);
    expect(await kinds(a)).toEqual(["comment_like", "reply"]);
    await b.del(`/api/v1/comments/${reply.id}`);
    expect(await kinds(a)).toEqual(["comment_like"]);
    expect((await notifications(author)).notifications.map((n) => [n.kind, n.actorCount])).toEqual([["comment", 1]]);
    // The post's author deletes the top-level comment: a's comment_like notification goes with it.
    await author.del(`/api/v1/comments/${top.id}`);
    expect(await notifications(a)).toMatchObject({ notifications: [], unreadCount: 0 });
    expect(await notifications(author)).toMatchObject({ notifications: [], unreadCount: 0 });
    // A post: likes on it and a mention in it disappear from everyone's notifications.
    const doomed = await author.createPost(`hey @${a.user.username}`);
    await b.post(`/api/v1/posts/${doomed.id}/like`);
    expect(await kinds(a)).toEqual(["mention"]);
    expect(await kinds(author)).toEqual(["like"]);
    await author.del(`/api/v1/posts/${doomed.id}`);
    expect(await kinds(a)).toEqual([]);
    expect(await kinds(author)).toEqual([]);
  });
});

describe("GET /notifications and POST /notifications/read", () => {
  it("pages newest updatedAt first, every notification once", async () => {
    const author = await signup();
    const fan = await signup();
    const posts = [];
    for (let i = 0; i < 7; i++) posts.push(await author.createPost(`p${i}`));
    for (const p of posts) await fan.post(`/api/v1/posts/${p.id}/like`);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await notifications(author, `?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...res.notifications.map((n) => n.postId!));
      if (!res.pagination.hasMore) break;
      cursor = res.pagination.nextCursor;
    }
    expect(seen).toEqual(posts.map((p) => p.id).reverse());
    expect((await author.get("/api/v1/notifications?cursor=!!")).code).toBe("INVALID_CURSOR");
    expect((await author.get("/api/v1/notifications?limit=0")).code).toBe("VALIDATION_ERROR");
    expect((await anonymous().get("/api/v1/notifications")).code).toBe("UNAUTHENTICATED");
    expect((await anonymous().post("/api/v1/notifications/read", {})).status).toBe(401);
  });

  it("upTo marks that notification and every one updated before it; an unknown id is 400 and changes nothing", async () => {
    const author = await signup();
    const fan = await signup();
    const posts = [];
    for (let i = 0; i < 4; i++) posts.push(await author.createPost(`q${i}`));
    for (const p of posts) await fan.post(`/api/v1/posts/${p.id}/like`);
    const list = (await notifications(author)).notifications; // newest first: q3, q2, q1, q0
    const bad = await author.post("/api/v1/notifications/read", { upTo: "01ZZZZZZZZZZZZZZZZZZZZZZZZ" });
    expect(bad.status).toBe(400);
    expect(bad.code).toBe("VALIDATION_ERROR");
    expect((await author.post("/api/v1/notifications/read", { upTo: 5 })).code).toBe("VALIDATION_ERROR");
    expect((await notifications(author)).unreadCount).toBe(4);
    const res = await author.post("/api/v1/notifications/read", { upTo: list[2].id });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ unreadCount: 2 });
    expect((await notifications(author)).notifications.map((n) => n.read)).toEqual([false, false, true, true]);
    expect((await author.post("/api/v1/notifications/read")).data).toEqual({ unreadCount: 0 });
  });

  it("keeps the newest 500 groups and none older than 90 days", async () => {
    const me = await signup();
    // A real account: notifications from one that no longer exists are dropped when read.
    const someone = await signup();
    const actor = { id: someone.user.id, username: someone.user.username, displayName: "Someone", avatarUrl: null, isCelebrity: false };
    const now = Date.now();
    const kept = await inUserFeed(me.user.id, (feed) => {
      const store = feed.notifications;
      store.add({ op: "add", kind: "like", target: "old", ref: "old", actor, at: now - 91 * 86_400_000 }, now - 91 * 86_400_000);
      for (let i = 0; i < 520; i++) store.add({ op: "add", kind: "like", target: `t${i}`, ref: `t${i}`, actor, at: now - 520 + i }, now);
      return store.summary();
    });
    expect(kept).toMatchObject({ groups: 500, actorRows: 500 });
    const res = await notifications(me, "?limit=100");
    expect(res.unreadCount).toBe(500);
  });
});

describe("privacy", () => {
  it("a mention in a friends-only post notifies only people who may see it; the stranger sees no trace", async () => {
    const [author, friend, stranger] = await signupMany(3, "pm");
    await befriend(author, friend);
    await author.createPost(`for @${friend.user.username} and @${stranger.user.username}`, { privacy: "friends" });
    expect(await postKinds(friend)).toEqual(["mention"]);
    expect(await kinds(stranger)).toEqual([]);
  });

  it("a share only its original's author may not see tells them nothing", async () => {
    const [author, sharer] = await signupMany(2, "ps");
    const post = await author.createPost("public original");
    await sharer.post(`/api/v1/posts/${post.id}/share`, { content: "for my friends", privacy: "friends" }, keyed());
    expect(await kinds(author)).toEqual([]);
    await sharer.post(`/api/v1/posts/${post.id}/share`, { content: "for all" }, keyed());
    expect(await kinds(author)).toEqual(["share"]);
  });

  it("after a friendship ends, notifications about the friends-only post are gone when read", async () => {
    const [author, friend, other] = await signupMany(3, "pf");
    await befriend(author, friend);
    await befriend(author, other);
    const secret = await author.createPost("just us", { privacy: "friends" });
    const c = await comment(friend, secret.id, "friend's comment");
    await comment(other, secret.id, "reply", c.id);
    expect(await postKinds(friend)).toEqual(["reply"]);
    await author.post("/api/v1/notifications/read", {});
    await friend.post("/api/v1/notifications/read", {});
    await author.del(`/api/v1/users/${friend.user.username}/follow`);
    const res = await notifications(friend);
    expect(res.notifications.map((n) => n.kind)).toEqual(["follow"]); // from befriending: no post concerned
    expect(JSON.stringify(res)).not.toContain("reply");
  });
});

describe("live", () => {
  it("`notification` {notification, unreadCount} reaches the recipient's open tabs within a second; an undo sends the removal", async () => {
    const [author, fan] = await signupMany(2, "ln");
    const tabs = [await connect(author), await connect(author)];
    open.push(...tabs);
    const post = await author.createPost("watch this");
    const started = Date.now();
    await fan.post(`/api/v1/posts/${post.id}/like`);
    for (const tab of tabs) {
      const msg = await tab.next((m) => m.type === "notification" && m.payload.notification?.kind === "like", 1000);
      expect(msg.payload.unreadCount).toBe(1);
      expect(msg.payload.notification).toMatchObject({ kind: "like", postId: post.id, actorCount: 1 });
    }
    expect(Date.now() - started).toBeLessThan(1000);
    const id = (await tabs[0].next((m) => m.type === "notification")).payload.notification.id;
    await fan.del(`/api/v1/posts/${post.id}/like`);
    const removed = await tabs[0].next((m) => m.type === "notification" && m.payload.notification === null);
    expect(removed.payload).toEqual({ notification: null, unreadCount: 0, removedId: id });
    // Reading in one tab updates the others' count.
    await fan.post(`/api/v1/posts/${post.id}/like`);
    await tabs[1].next((m) => m.type === "notification" && m.payload.unreadCount === 1 && m.payload.notification);
    await author.post("/api/v1/notifications/read", {});
    const cleared = await tabs[1].next((m) => m.type === "notification" && m.payload.notification === null && m.payload.unreadCount === 0 && !m.payload.removedId);
    expect(cleared.payload).toEqual({ notification: null, unreadCount: 0 });
  });

  it("nobody else's socket hears of someone's notifications", async () => {
    const [author, fan, bystander] = await signupMany(3, "lo");
    await bystander.follow(author.user.username);
    const other = await connect(bystander);
    open.push(other);
    const post = await author.createPost("mine");
    await fan.post(`/api/v1/posts/${post.id}/like`);
    expect(await other.none((m) => m.type === "notification", 500)).toBe(true);
  });
});

describe("cost", () => {
  it("a like costs the liker's object one D1 batch and ONE call to the author's object, which carries the count and the notification", async () => {
    const [author, fan] = await signupMany(2, "co");
    const post = await author.createPost("how much is a like");
    await drainFanout(author.user.id);
    const objects: Counts = { d1Statements: 0, d1Calls: 0, objectCalls: 0, trace: [] };
    const realDb = env.DB;
    const realFeeds = env.USER_FEED;
    // The objects share `env`: count every object-to-object call and every D1 session they open
    // (core/d1.ts; the worker gets a copy with the real bindings). The fan's object checks the
    // session once first (then trusts it 60 s): a read before, so only the like is counted.
    await fan.get("/api/v1/feed");
    type Poked = { env: typeof env };
    const shared = await inUserFeed(fan.user.id, (instance) => {
      const poked = instance as unknown as Poked;
      poked.env.DB = countingDb(realDb, objects);
      poked.env.USER_FEED = countingNamespace(realFeeds, objects);
      return poked.env;
    });
    try {
      const ctx = createExecutionContext();
      const req = new Request(`${BASE}/api/v1/posts/${post.id}/like`, { method: "POST", headers: { cookie: fan.cookie } });
      const res = await app.fetch(req, { ...env, DB: realDb, USER_FEED: realFeeds }, ctx);
      await waitOnExecutionContext(ctx);
      expect(res.status).toBe(200);
      console.log(`NOTIFY cost of a like: ${JSON.stringify(objects.trace)}`);
      expect(objects.trace!.filter((t) => t.startsWith("RPC"))).toEqual(["RPC receive"]);
      expect(objects.d1Calls).toBe(1); // the like's batch: write, count, the post with may-notify, the liker's summary
      expect(objects.d1Statements).toBe(4);
    } finally {
      shared.USER_FEED = realFeeds;
      shared.DB = realDb;
    }
    expect((await notifications(author)).notifications.map((n) => n.kind)).toEqual(["like"]);
  });
});
