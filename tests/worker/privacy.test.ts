/**
 * A friends-only post (friends = mutual follows) is visible to its author and the author's friends
 * only; to anyone else it does not exist: 404 on GET, comments, likes, shares and edits, absent
 * from feeds (both modes, push and pull authors), profiles and catch-up.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Post } from "../../schema/api";
import { befriend, Client, drainFanout, ids, keyed, profilePostIds, signup, signupMany, timelineIds } from "./helpers";

let author: Client;
let friend: Client;
let follower: Client; // follows the author, not followed back
let stranger: Client;
let secret: Post;
let open: Post;

beforeAll(async () => {
  [author, friend, follower, stranger] = await signupMany(4, "pv");
  await befriend(author, friend);
  await follower.follow(author.user.username);
  open = await author.createPost("for everyone");
  secret = await author.createPost("for friends", { privacy: "friends" });
  await drainFanout(author.user.id);
});

describe("friends-only post, pushed author", () => {
  it("GET /posts/:id: 200 for the author and friends, 404 POST_NOT_FOUND for everyone else", async () => {
    expect((await author.get(`/api/v1/posts/${secret.id}`)).status).toBe(200);
    expect((await friend.get(`/api/v1/posts/${secret.id}`)).data.post).toMatchObject({ id: secret.id, privacy: "friends" });
    for (const other of [follower, stranger]) {
      const res = await other.get(`/api/v1/posts/${secret.id}`);
      expect(res.status).toBe(404);
      expect(res.code).toBe("POST_NOT_FOUND");
    }
  });

  it("feed: in the friend's, never in the non-friend follower's (both modes, not even in the timeline)", async () => {
    expect(await timelineIds(follower.user.id)).not.toContain(secret.id);
    for (const mode of ["latest", "ranked"] as const) {
      expect(new Set(ids(await friend.wholeFeed(mode)))).toEqual(new Set([secret.id, open.id]));
      expect(ids(await follower.wholeFeed(mode))).toEqual([open.id]);
      expect(ids(await stranger.wholeFeed(mode))).toEqual([]);
    }
  });

  it("profile posts: listed for the author and friends only", async () => {
    expect(await profilePostIds(author, author.user.username)).toEqual([secret.id, open.id]);
    expect(await profilePostIds(friend, author.user.username)).toEqual([secret.id, open.id]);
    expect(await profilePostIds(follower, author.user.username)).toEqual([open.id]);
    expect(await profilePostIds(stranger, author.user.username)).toEqual([open.id]);
  });

  it("comments list and comment/like/unlike/share attempts: 404 for non-friends, allowed for friends", async () => {
    for (const other of [follower, stranger]) {
      const calls = [
        await other.get(`/api/v1/posts/${secret.id}/comments`),
        await other.post(`/api/v1/posts/${secret.id}/comments`, { content: "peek" }, keyed()),
        await other.post(`/api/v1/posts/${secret.id}/like`),
        await other.del(`/api/v1/posts/${secret.id}/like`),
        await other.post(`/api/v1/posts/${secret.id}/share`, {}, keyed()),
        await other.patch(`/api/v1/posts/${secret.id}`, { content: "edit" }),
        await other.del(`/api/v1/posts/${secret.id}`),
      ];
      for (const res of calls) {
        expect(res.status).toBe(404);
        expect(res.code).toBe("POST_NOT_FOUND");
      }
    }
    expect((await friend.post(`/api/v1/posts/${secret.id}/comments`, { content: "friendly" }, keyed())).status).toBe(201);
    expect((await friend.post(`/api/v1/posts/${secret.id}/like`)).data).toEqual({ liked: true, likeCount: 1 });
    const list = await friend.get(`/api/v1/posts/${secret.id}/comments`);
    expect(list.data.comments.map((c: { content: string }) => c.content)).toEqual(["friendly"]);
    // a friend can see but not change it
    expect((await friend.patch(`/api/v1/posts/${secret.id}`, { content: "edit" })).code).toBe("FORBIDDEN");
    // nothing leaked into the counts from the refused attempts
    const seen = (await author.get(`/api/v1/posts/${secret.id}`)).data.post;
    expect(seen).toMatchObject({ likeCount: 1, commentCount: 1, shareCount: 0, content: "for friends" });
  });

  it("a friend's public share of it: the share is visible, its sharedPost is null for non-friends", async () => {
    const share = (await friend.post(`/api/v1/posts/${secret.id}/share`, { content: "look" }, keyed())).data.post;
    expect(share.sharedPost.id).toBe(secret.id);
    const asStranger = await stranger.get(`/api/v1/posts/${share.id}`);
    expect(asStranger.status).toBe(200);
    expect(asStranger.data.post.sharedPost).toBeNull();
    expect(JSON.stringify(asStranger.body)).not.toContain("for friends");
    expect((await author.get(`/api/v1/posts/${share.id}`)).data.post.sharedPost.id).toBe(secret.id);
    // sharing the share does not reach the hidden original either
    expect((await stranger.post(`/api/v1/posts/${share.id}/share`, {}, keyed())).status).toBe(404);
    await friend.del(`/api/v1/posts/${share.id}`);
  });

  it("updates: the friend's catch-up brings it, the follower's does not", async () => {
    const since = {
      friend: (await friend.get("/api/v1/feed?mode=latest")).data.pagination.newestCursor,
      follower: (await follower.get("/api/v1/feed?mode=latest")).data.pagination.newestCursor,
    };
    const hidden = await author.createPost("another secret", { privacy: "friends" });
    const shown = await author.createPost("another open");
    await drainFanout(author.user.id);
    expect(ids((await friend.get(`/api/v1/feed/updates?since=${since.friend}`)).data.posts)).toEqual([shown.id, hidden.id]);
    expect(ids((await follower.get(`/api/v1/feed/updates?since=${since.follower}`)).data.posts)).toEqual([shown.id]);
  });
});

describe("friendships change", () => {
  it("ending a friendship hides the friends-only posts at once, even those already in the timeline", async () => {
    const [a, b] = await signupMany(2, "pe");
    await befriend(a, b);
    const post = await a.createPost("while friends", { privacy: "friends" });
    await drainFanout(a.user.id);
    expect(await timelineIds(b.user.id)).toContain(post.id);
    await a.del(`/api/v1/users/${b.user.username}/follow`); // b still follows a
    expect((await b.get(`/api/v1/posts/${post.id}`)).status).toBe(404);
    expect(ids(await b.wholeFeed("latest"))).toEqual([]);
    expect(ids(await b.wholeFeed("ranked"))).toEqual([]);
    expect(await profilePostIds(b, a.user.username)).toEqual([]);
  });

  it("becoming friends reveals the earlier friends-only posts in the feed", async () => {
    const [a, b] = await signupMany(2, "pb");
    await b.follow(a.user.username);
    const post = await a.createPost("from before", { privacy: "friends" });
    await drainFanout(a.user.id);
    expect(ids(await b.wholeFeed("latest"))).toEqual([]);
    await a.follow(b.user.username);
    expect(ids(await b.wholeFeed("latest"))).toEqual([post.id]);
    expect((await b.get(`/api/v1/posts/${post.id}`)).status).toBe(200);
  });
});

describe("friends-only post, celebrity (pulled) author", () => {
  it("friends see it merged at read time; non-friend followers never do", async () => {
    const star = await signup();
    const [starFriend, ...fans] = await signupMany(6, "pc");
    await befriend(star, starFriend);
    for (const fan of fans) await fan.follow(star.user.username);
    const pub = await star.createPost("public celebrity post");
    const priv = await star.createPost("celebrity friends only", { privacy: "friends" });
    expect(priv.author.isCelebrity).toBe(true);
    await drainFanout(star.user.id);
    for (const mode of ["latest", "ranked"] as const) {
      expect(new Set(ids(await starFriend.wholeFeed(mode)))).toEqual(new Set([pub.id, priv.id]));
      for (const fan of fans) expect(ids(await fan.wholeFeed(mode))).toEqual([pub.id]);
    }
    expect((await fans[0].get(`/api/v1/posts/${priv.id}`)).status).toBe(404);
    expect(await profilePostIds(fans[0], star.user.username)).toEqual([pub.id]);
  });
});
