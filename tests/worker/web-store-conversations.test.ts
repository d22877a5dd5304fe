/**
 * The web store's comments, replies and notifications (web/store-comments.ts,
 * web/store-notifications.ts): the same optimistic rules as likes on posts (shown at once, a
 * server count held while a change is pending, rollback with a message), with a scripted transport.
 */
import { describe, expect, it } from "vitest";
import type { Comment, Notification, Post } from "../../schema/api";
import { createStore, type ApiPort, type ApiResult, type BootState } from "../../web/store";
import { commentActionsFor } from "../../web/comment-actions";
import { actionText, actorsText, notificationHref } from "../../web/lib/notification-text";

const ME = { id: "u_me", username: "me", displayName: "Me", avatarUrl: null, isCelebrity: false };
const ADA = { id: "u_ada", username: "ada", displayName: "Ada", avatarUrl: null, isCelebrity: false };
const AT = "2026-11-01T00:00:00.000Z";

const post = (id: string, extra: Partial<Post> = {}): Post => ({
  id, authorId: ADA.id, author: ADA, content: `post ${id}`, imageUrl: null, postType: "text", privacy: "public",
  likeCount: 0, commentCount: 2, shareCount: 0, isLiked: false, createdAt: AT, updatedAt: AT, mentions: [], media: [], ...extra,
});
const comment = (id: string, extra: Partial<Comment> = {}): Comment => ({
  id, postId: "p1", userId: ADA.id, user: ADA, content: `comment ${id}`, likeCount: 3, isLiked: false, parentId: null,
  replyCount: 0, mentions: [], createdAt: AT, updatedAt: AT, ...extra,
});
const note = (id: string, extra: Partial<Notification> = {}): Notification => ({
  id, kind: "like", actors: [ADA], actorCount: 1, postId: "p1", read: false, createdAt: AT, updatedAt: AT, ...extra,
});

interface Call { method: string; path: string; body: unknown; resolve(result: ApiResult<unknown>): void }
function setup(extra: Partial<BootState> = {}) {
  const calls: Call[] = [];
  let n = 0;
  const api: ApiPort = {
    newKey: () => `key-${++n}`,
    call: <T>(method: string, path: string, body?: unknown) => new Promise<ApiResult<T>>((resolve) => calls.push({ method, path, body, resolve: resolve as Call["resolve"] })),
  };
  const boot: BootState = {
    page: "post", viewer: ME, now: Date.now(), mode: "latest",
    feed: { posts: [post("p1")], pagination: { nextCursor: null, hasMore: false, newestCursor: null } },
    thread: {
      comments: { comments: [comment("c1", { replyCount: 1 })], pagination: { nextCursor: null, hasMore: false } },
      replies: { c1: { comments: [comment("r1", { parentId: "c1" })], pagination: { nextCursor: null, hasMore: false } } },
    },
    ...extra,
  };
  const store = createStore(boot, { api });
  return { store, calls, c: (id: string) => store.comment(id)!.value };
}
const ok = <T>(data: T, status = 200): ApiResult<T> => ({ ok: true, status, data });
const err = (status: number, code: string): ApiResult<never> => ({ ok: false, status, code, message: code });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("web store: comments", () => {
  it("a post page opens its thread from the embedded state, replies included, fetching nothing", () => {
    const { store, calls } = setup();
    expect(store.commentsOf("p1").value).toMatchObject({ open: true, loaded: true, items: ["c1"] });
    expect(store.repliesOf("c1").value).toMatchObject({ open: true, items: ["r1"] });
    expect(calls).toHaveLength(0);
  });

  it("a reply shows at once under its top-level comment (a reply to a reply too) and counts, then settles", async () => {
    const { store, calls, c } = setup();
    const done = commentActionsFor(store).addComment("p1", "me too", "r1");
    const items = store.repliesOf("c1").value.items;
    expect(items).toHaveLength(2);
    expect(c(items[1])).toMatchObject({ content: "me too", parentId: "c1", userId: ME.id });
    expect(c("c1").replyCount).toBe(2);
    expect(store.post("p1")!.value.commentCount).toBe(3);
    expect(calls[0]).toMatchObject({ method: "POST", path: "/api/v1/posts/p1/comments", body: { content: "me too", parentId: "c1" } });
    calls[0].resolve(ok({ comment: comment("r2", { parentId: "c1", userId: ME.id, user: ME, content: "me too", likeCount: 0 }) }, 201));
    expect(await done).toBe(true);
    expect(store.repliesOf("c1").value.items).toEqual(["r1", "r2"]);
    expect(c("c1").replyCount).toBe(2);
  });

  it("a failed reply is taken back: the list, the reply count and the post's count", async () => {
    const { store, calls, c } = setup();
    const done = commentActionsFor(store).addComment("p1", "nope", "c1");
    calls[0].resolve(err(404, "COMMENT_NOT_FOUND"));
    expect(await done).toBe(false);
    expect(store.repliesOf("c1").value.items).toEqual(["r1"]);
    expect(c("c1").replyCount).toBe(1);
    expect(store.post("p1")!.value.commentCount).toBe(2);
    expect(store.notice.value?.text).toContain("reply wasn't posted");
  });

  it("a comment like holds the socket's count while pending and rolls back to it on failure", async () => {
    const { store, calls, c } = setup();
    const done = commentActionsFor(store).toggleCommentLike("c1");
    expect(c("c1")).toMatchObject({ isLiked: true, likeCount: 4 });
    store.serverCommentCount("c1", "likeCount", 7); // someone else's like, from the socket
    expect(c("c1").likeCount).toBe(4);
    await tick();
    expect(calls[0]).toMatchObject({ method: "POST", path: "/api/v1/comments/c1/like" });
    calls[0].resolve(err(500, "INTERNAL_ERROR"));
    await done;
    expect(c("c1")).toMatchObject({ isLiked: false, likeCount: 7 });
    expect(store.notice.value?.text).toContain("Couldn't like the comment");
  });

  it("likes on one comment go out in click order and the last answer settles", async () => {
    const { store, calls, c } = setup();
    const first = commentActionsFor(store).toggleCommentLike("c1");
    const second = commentActionsFor(store).toggleCommentLike("c1");
    expect(c("c1")).toMatchObject({ isLiked: false, likeCount: 3 });
    await tick();
    expect(calls).toHaveLength(1);
    calls[0].resolve(ok({ liked: true, likeCount: 4 }));
    await first;
    await tick();
    expect(calls[1]).toMatchObject({ method: "DELETE" });
    calls[1].resolve(ok({ liked: false, likeCount: 3 }));
    await second;
    expect(c("c1")).toMatchObject({ isLiked: false, likeCount: 3 });
  });

  it("delete removes a comment with its replies from the counts at once, and restores it in place on failure", async () => {
    const { store, calls } = setup({
      thread: {
        comments: { comments: [comment("c0"), comment("c1", { replyCount: 1 })], pagination: { nextCursor: null, hasMore: false } },
        replies: {},
      },
    });
    const done = commentActionsFor(store).deleteComment("c1");
    expect(store.commentsOf("p1").value.items).toEqual(["c0"]);
    expect(store.post("p1")!.value.commentCount).toBe(0);
    calls[0].resolve(err(403, "FORBIDDEN"));
    expect(await done).toBe(false);
    expect(store.commentsOf("p1").value.items).toEqual(["c0", "c1"]);
    expect(store.post("p1")!.value.commentCount).toBe(2);
    expect(store.notice.value?.text).toContain("Couldn't delete");
  });

  it("an edit shows at once and goes back to the old text on failure", async () => {
    const { store, calls, c } = setup();
    const done = commentActionsFor(store).editComment("c1", "better words");
    expect(c("c1").content).toBe("better words");
    expect(calls[0]).toMatchObject({ method: "PATCH", path: "/api/v1/comments/c1", body: { content: "better words" } });
    calls[0].resolve(err(403, "FORBIDDEN"));
    expect(await done).toBe(false);
    expect(c("c1").content).toBe("comment c1");
  });
});

describe("web store: notifications", () => {
  it("the badge follows the socket; on the page, groups move to the top and removed ones leave", () => {
    const { store } = setup({ page: "notifications", notifications: { notifications: [note("n1"), note("n2")], unreadCount: 2, pagination: { nextCursor: null, hasMore: false } } });
    const n = store.notifications;
    n.receive({ notification: note("n2", { actorCount: 2 }), unreadCount: 2 });
    expect(n.items.value.map((x) => [x.id, x.actorCount])).toEqual([["n2", 2], ["n1", 1]]);
    n.receive({ notification: null, unreadCount: 1, removedId: "n1" });
    expect(n.items.value.map((x) => x.id)).toEqual(["n2"]);
    expect(n.unreadCount.value).toBe(1);
  });

  it("elsewhere only the count is kept; catch-up asks for it; seeing the page marks up to the newest read", async () => {
    const { store, calls } = setup({ unreadCount: 4 });
    expect(store.notifications.unreadCount.value).toBe(4);
    store.notifications.receive({ notification: note("n9"), unreadCount: 5 });
    expect(store.notifications.items.value).toEqual([]);
    const refresh = store.notifications.refresh();
    expect(calls[0]).toMatchObject({ method: "GET", path: "/api/v1/notifications?limit=1" });
    calls[0].resolve(ok({ notifications: [note("n9")], unreadCount: 2, pagination: { nextCursor: null, hasMore: false } }));
    await refresh;
    expect(store.notifications.unreadCount.value).toBe(2);

    const page = setup({ page: "notifications", notifications: { notifications: [note("n3"), note("n2")], unreadCount: 2, pagination: { nextCursor: null, hasMore: false } } });
    const seen = page.store.notifications.markSeen();
    expect(page.calls[0]).toMatchObject({ method: "POST", path: "/api/v1/notifications/read", body: { upTo: "n3" } });
    page.calls[0].resolve(ok({ unreadCount: 0 }));
    await seen;
    expect(page.store.notifications.unreadCount.value).toBe(0);
  });

  it("reads as grouped wording and links to its post, comment or profile", () => {
    const ben = { ...ADA, id: "u_ben", username: "ben", displayName: "Ben" };
    expect(`${actorsText(note("a"))} ${actionText(note("a"))}`).toBe("Ada liked your post");
    expect(actorsText(note("b", { actors: [ADA, ben], actorCount: 2 }))).toBe("Ada and Ben");
    expect(`${actorsText(note("c", { actors: [ADA, ben, ME], actorCount: 4 }))} ${actionText(note("c"))}`).toBe("Ada and 3 others liked your post");
    expect(actionText(note("d", { kind: "mention", commentId: "c1" }))).toBe("mentioned you in a comment");
    expect(notificationHref(note("e", { kind: "reply", commentId: "c7" }))).toBe("/post/p1#c-c7");
    expect(notificationHref(note("f", { kind: "follow", postId: undefined }))).toBe("/profile/ada");
  });
});
