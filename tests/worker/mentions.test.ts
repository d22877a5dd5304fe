/**
 * API.md "Conversations", mentions: `@username` resolves to existing accounts only (any case, at
 * most LIMITS.mentionsMax per text), in posts (everywhere a Post travels: REST, feed, socket) and
 * comments; edits re-resolve; a mention notifies only someone who may see the text.
 */
import { afterEach, describe, expect, it } from "vitest";
import { LIMITS } from "../../schema/api";
import { mentionedUsernames } from "../../schema/mentions";
import { befriend, drainFanout, keyed, signup, signupMany, uniqueName, type Client } from "./helpers";
import { connect, type Inbox } from "./socket-helpers";

const usernames = (list: { username: string }[]) => list.map((u) => u.username).sort();
const mentionKinds = async (client: Client) => ((await client.get("/api/v1/notifications")).data.notifications as { kind: string }[]).filter((n) => n.kind === "mention");

const open: Inbox[] = [];
afterEach(() => open.splice(0).forEach((i) => i.close()));

describe("finding mentions in text", () => {
  it("names 3–30 of a-z0-9_ in any case, not inside words or e-mail addresses", () => {
    expect(mentionedUsernames("hi @Ada and @ben_2, @ada again", 20)).toEqual(["ada", "ben_2"]);
    expect(mentionedUsernames("mail ada@example.com or x@yz", 20)).toEqual([]);
    expect(mentionedUsernames("@ab too short, @" + "a".repeat(31) + " too long, @@ada twice", 20)).toEqual([]);
    expect(mentionedUsernames("(@ada) @ben.", 20)).toEqual(["ada", "ben"]);
    expect(mentionedUsernames(Array.from({ length: 30 }, (_, i) => `@user${i}`).join(" "), 20)).toHaveLength(20);
  });
});

describe("posts", () => {
  it("Post.mentions lists the accounts that exist, in REST, the feed and the live message", async () => {
    const [author, ada, follower] = await signupMany(3, "mp");
    await follower.follow(author.user.username);
    const live = await connect(follower);
    open.push(live);
    const ghost = uniqueName("ghost");
    const post = await author.createPost(`thanks @${ada.user.username.toUpperCase()} and @${ghost}`);
    expect(usernames(post.mentions)).toEqual([ada.user.username]);
    expect(post.mentions[0]).toEqual({ id: ada.user.id, username: ada.user.username, displayName: ada.user.displayName, avatarUrl: null, isCelebrity: false });
    expect(usernames((await follower.get(`/api/v1/posts/${post.id}`)).data.post.mentions)).toEqual([ada.user.username]);
    await drainFanout(author.user.id);
    const feed = await follower.get("/api/v1/feed?mode=latest");
    expect(usernames(feed.data.posts[0].mentions)).toEqual([ada.user.username]);
    const pushed = await live.next((m) => m.type === "new_post" && m.payload.post.id === post.id);
    expect(usernames(pushed.payload.post.mentions)).toEqual([ada.user.username]);
    // An account made later with the ghost's name is not mentioned retroactively.
    await signup(ghost);
    expect(usernames((await follower.get(`/api/v1/posts/${post.id}`)).data.post.mentions)).toEqual([ada.user.username]);
  });

  it(`resolves at most ${LIMITS.mentionsMax} names per text`, async () => {
    const author = await signup();
    const people = await signupMany(LIMITS.mentionsMax + 2, "mx");
    const post = await author.createPost(people.map((p) => `@${p.user.username}`).join(" "));
    expect(post.mentions).toHaveLength(LIMITS.mentionsMax);
  });

  it("an edit re-resolves: the newly mentioned hear of it, the ones edited out are taken back out", async () => {
    const [author, a, b] = await signupMany(3, "me");
    const post = await author.createPost(`hello @${a.user.username}`);
    expect(await mentionKinds(a)).toHaveLength(1);
    const edited = await author.patch(`/api/v1/posts/${post.id}`, { content: `hello @${b.user.username}` });
    expect(usernames(edited.data.post.mentions)).toEqual([b.user.username]);
    expect(await mentionKinds(a)).toHaveLength(0);
    expect(await mentionKinds(b)).toHaveLength(1);
  });

  it("a share's own text mentions; a friends-only post's mention notifies only people who may see it", async () => {
    const [author, friend, stranger] = await signupMany(3, "mf");
    await befriend(author, friend);
    const original = await stranger.createPost("original");
    const share = await author.post(`/api/v1/posts/${original.id}/share`, { content: `see @${friend.user.username}` }, keyed());
    expect(usernames(share.data.post.mentions)).toEqual([friend.user.username]);
    expect(await mentionKinds(friend)).toHaveLength(1);
    await author.createPost(`@${friend.user.username} @${stranger.user.username} just us`, { privacy: "friends" });
    expect(await mentionKinds(friend)).toHaveLength(2);
    expect(await mentionKinds(stranger)).toHaveLength(0);
  });
});

describe("comments", () => {
  it("Comment.mentions, on creation and edit; the mentioned hear of it, with the comment's text", async () => {
    const [author, a, b] = await signupMany(3, "mc");
    const post = await author.createPost("comment with mentions");
    const made = await a.post(`/api/v1/posts/${post.id}/comments`, { content: `cc @${b.user.username} @nobody_${Date.now()}` }, keyed());
    expect(usernames(made.data.comment.mentions)).toEqual([b.user.username]);
    const list = (await b.get("/api/v1/notifications")).data.notifications;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: "mention", postId: post.id, commentId: made.data.comment.id });
    expect(list[0].preview).toContain(`cc @${b.user.username}`);
    const edited = await a.patch(`/api/v1/comments/${made.data.comment.id}`, { content: `cc @${author.user.username}` });
    expect(usernames(edited.data.comment.mentions)).toEqual([author.user.username]);
    expect(await mentionKinds(b)).toHaveLength(0);
    // Mentioned by the edit, the post's author hears of it as a mention (the `comment` was for the comment).
    expect(await mentionKinds(author)).toHaveLength(1);
    expect(usernames((await b.get(`/api/v1/posts/${post.id}/comments`)).data.comments[0].mentions)).toEqual([author.user.username]);
  });

  it("a mention in a comment on a friends-only post reaches only someone who may see the post", async () => {
    const [author, friend, stranger] = await signupMany(3, "mk");
    await befriend(author, friend);
    const secret = await author.createPost("friends", { privacy: "friends" });
    await friend.post(`/api/v1/posts/${secret.id}/comments`, { content: `@${stranger.user.username} look` }, keyed());
    expect(await mentionKinds(stranger)).toHaveLength(0);
    expect((await stranger.get("/api/v1/notifications")).data).toMatchObject({ notifications: [], unreadCount: 0 });
  });
});
