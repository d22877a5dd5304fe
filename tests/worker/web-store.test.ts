/**
 * The web client's store (web/store.ts): its optimistic rules, with a scripted transport. Plain
 * TypeScript with signals and no DOM, so it runs here in workerd with the worker tests.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Post } from "../../schema/api";
import { call } from "../../web/lib/api";
import { createStore, type ApiPort, type ApiResult, type BootState } from "../../web/store";
import { commentActionsFor } from "../../web/comment-actions";

const ME = { id: "u_me", username: "me", displayName: "Me", avatarUrl: null, isCelebrity: false };
const OTHER = { id: "u_other", username: "other", displayName: "Other", avatarUrl: null, isCelebrity: false };

function post(id: string, extra: Partial<Post> = {}): Post {
  return {
    id,
    authorId: OTHER.id,
    author: OTHER,
    content: `post ${id}`,
    imageUrl: null,
    media: [],
    postType: "text",
    privacy: "public",
    likeCount: 5,
    commentCount: 0,
    shareCount: 0,
    isLiked: false,
    createdAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-01T00:00:00.000Z",
    mentions: [],
    ...extra,
  };
}

interface Call {
  method: string;
  path: string;
  body: unknown;
  key?: string;
  resolve(result: ApiResult<unknown>): void;
}

/** A transport whose answers the test gives, one call at a time. */
function scripted() {
  const calls: Call[] = [];
  let n = 0;
  const api: ApiPort = {
    newKey: () => `key-${++n}`,
    call: <T>(method: string, path: string, body?: unknown, key?: string) =>
      new Promise<ApiResult<T>>((resolve) => calls.push({ method, path, body, key, resolve: resolve as Call["resolve"] })),
  };
  return { api, calls };
}

const ok = <T>(data: T, status = 200): ApiResult<T> => ({ ok: true, status, data });
const err = (status: number, code: string): ApiResult<never> => ({ ok: false, status, code, message: code });
const tick = () => new Promise((r) => setTimeout(r, 0));

function setup(posts: Post[] = [post("p1"), post("p2")], page: BootState["page"] = "home") {
  const { api, calls } = scripted();
  const boot: BootState = {
    page,
    viewer: ME,
    now: Date.now(),
    mode: "ranked",
    feed: { posts, pagination: { nextCursor: null, hasMore: false, newestCursor: "c0" } },
  };
  const store = createStore(boot, { api });
  return { store, calls, value: (id: string) => store.post(id)!.value };
}

describe("web store: likes", () => {
  it("applies a like at once and settles with the server's answer", async () => {
    const { store, calls, value } = setup();
    const done = store.toggleLike("p1");
    expect(value("p1")).toMatchObject({ isLiked: true, likeCount: 6 });
    await tick();
    expect(calls[0]).toMatchObject({ method: "POST", path: "/api/v1/posts/p1/like", key: "key-1" });
    calls[0].resolve(ok({ liked: true, likeCount: 9 }));
    await done;
    expect(value("p1")).toMatchObject({ isLiked: true, likeCount: 9 });
    expect(store.pending.value).toHaveLength(0);
  });

  it("rolls back a failed like and says so in the alert", async () => {
    const { store, calls, value } = setup();
    const done = store.toggleLike("p1");
    await tick();
    calls[0].resolve(err(404, "POST_NOT_FOUND"));
    await done;
    expect(value("p1")).toMatchObject({ isLiked: false, likeCount: 5 });
    expect(store.notice.value?.text).toContain("Couldn't like the post");
  });

  it("does not let a server count overwrite a pending optimistic one", async () => {
    const { store, calls, value } = setup();
    const done = store.toggleLike("p1");
    store.serverCount("p1", "likeCount", 20); // someone else's like, from the socket
    expect(value("p1").likeCount).toBe(6);
    store.receivePost({ ...post("p1"), likeCount: 21 }); // a fresh copy of the post
    expect(value("p1")).toMatchObject({ likeCount: 6, isLiked: true });
    await tick();
    calls[0].resolve(ok({ liked: true, likeCount: 22 }));
    await done;
    expect(value("p1").likeCount).toBe(22);
    // With nothing pending, server counts apply directly.
    store.serverCount("p1", "likeCount", 23);
    expect(value("p1").likeCount).toBe(23);
  });

  it("rolls back to the newest server count seen while pending", async () => {
    const { store, calls, value } = setup();
    const done = store.toggleLike("p1");
    store.serverCount("p1", "likeCount", 12);
    await tick();
    calls[0].resolve(err(400, "VALIDATION_ERROR"));
    await done;
    expect(value("p1")).toMatchObject({ isLiked: false, likeCount: 12 });
  });

  it("keeps one key per action and sends like then unlike in click order", async () => {
    const { store, calls, value } = setup();
    const first = store.toggleLike("p1");
    const second = store.toggleLike("p1");
    expect(value("p1")).toMatchObject({ isLiked: false, likeCount: 5 });
    await tick();
    expect(calls).toHaveLength(1); // serialized per post
    calls[0].resolve(err(500, "INTERNAL_ERROR")); // the like failed after its retries...
    await first;
    await tick();
    // ...but the unlike is still out: the display stays as the reader left it.
    expect(value("p1")).toMatchObject({ isLiked: false, likeCount: 5 });
    expect(calls[1]).toMatchObject({ method: "DELETE", key: "key-2" });
    calls[1].resolve(ok({ liked: false, likeCount: 5 }));
    await second;
    expect(value("p1")).toMatchObject({ isLiked: false, likeCount: 5 });
    expect(store.pending.value).toHaveLength(0);
  });
});

describe("web store: posts", () => {
  const body = { content: "hello world" };

  it("shows the post at once under a temporary id and swaps in the real one in place", async () => {
    const { store, calls } = setup();
    const done = store.createPost(body);
    expect(store.feedIds.value[0]).toBe("tmp_key-1");
    expect(store.post("tmp_key-1")!.value).toMatchObject({ content: "hello world", authorId: ME.id });
    expect(calls[0]).toMatchObject({ method: "POST", path: "/api/v1/posts", key: "key-1" });
    calls[0].resolve(ok({ post: post("p9", { authorId: ME.id, author: ME, content: "hello world" }) }, 201));
    expect(await done).toBe(true);
    expect(store.feedIds.value).toEqual(["p9", "p1", "p2"]);
    // Its own new_post arriving afterwards changes nothing.
    store.receivePost(post("p9", { authorId: ME.id, author: ME, content: "hello world" }));
    expect(store.feedIds.value).toEqual(["p9", "p1", "p2"]);
  });

  it("lets the post's own new_post replace the temporary one before the response, without a duplicate", async () => {
    const { store, calls } = setup();
    const done = store.createPost(body);
    store.setViewport(false, false); // even while scrolled: our own post is no "new post"
    store.receivePost(post("p9", { authorId: ME.id, author: ME, content: "hello world" }));
    expect(store.feedIds.value).toEqual(["p9", "p1", "p2"]);
    expect(store.queue.value).toHaveLength(0);
    calls[0].resolve(ok({ post: post("p9", { authorId: ME.id, author: ME, content: "hello world" }) }, 201));
    await done;
    expect(store.feedIds.value).toEqual(["p9", "p1", "p2"]);
    expect(store.pending.value).toHaveLength(0);
  });

  it("removes a failed post and explains why", async () => {
    const { store, calls } = setup();
    const done = store.createPost(body);
    calls[0].resolve(err(400, "CONTENT_TOO_LONG"));
    expect(await done).toBe(false);
    expect(store.feedIds.value).toEqual(["p1", "p2"]);
    expect(store.notice.value?.text).toContain("5,000 characters");
  });

  it("keeps a post queued by the service worker until the outbox reports it", async () => {
    const { store, calls } = setup();
    const done = store.createPost(body);
    calls[0].resolve(ok({ queued: true }, 202));
    await done;
    expect(store.pending.value[0]).toMatchObject({ kind: "post", key: "key-1", queued: true });
    expect(store.feedIds.value[0]).toBe("tmp_key-1");
    store.outboxResult("key-1", ok({ post: post("p9", { authorId: ME.id, author: ME, content: "hello world" }) }, 201));
    expect(store.feedIds.value).toEqual(["p9", "p1", "p2"]);
    expect(store.pending.value).toHaveLength(0);
  });

  const photo = { id: "m1", url: "/media/m1", width: 400, height: 300, alt: "a cat" };
  const bare = { id: "m2", url: "/media/m2", width: 20, height: 10, alt: "" };

  it("a post with photos: drawn at once with their sizes, sent as {id, alt} only, resolved by its own new_post", async () => {
    const { store, calls } = setup();
    const done = store.createPost({ content: "", media: [photo, bare] });
    expect(store.post("tmp_key-1")!.value).toMatchObject({ media: [photo, bare], imageUrl: "/media/m1", postType: "image" });
    expect(calls[0].body).toEqual({ content: "", privacy: "public", media: [{ id: "m1", alt: "a cat" }, { id: "m2" }] });
    // The real post (imageUrl mirrors its first image) takes the temporary one's place, once.
    const real = post("p9", { authorId: ME.id, author: ME, content: "", media: [photo, bare], imageUrl: "/media/m1", postType: "image" });
    store.receivePost(real);
    expect(store.feedIds.value).toEqual(["p9", "p1", "p2"]);
    calls[0].resolve(ok({ post: real }, 201));
    await done;
    expect(store.feedIds.value).toEqual(["p9", "p1", "p2"]);
    expect(store.pending.value).toHaveLength(0);
  });

  it("another post of ours with the same text but other photos is not mistaken for the pending one", async () => {
    const { store } = setup();
    void store.createPost({ content: "same words", media: [photo] });
    store.receivePost(post("p8", { authorId: ME.id, author: ME, content: "same words", media: [bare], imageUrl: "/media/m2", postType: "image" }));
    expect(store.pending.value).toHaveLength(1);
    expect(store.feedIds.value).toContain("tmp_key-1");
  });

  it("a queued post restored from the outbox mirror keeps its photos (and a mirror from before photos has none)", () => {
    const { store } = setup();
    store.restoreQueued([
      { key: "k-photo", body: { content: "offline", imageUrl: null, privacy: "public", media: [photo] }, at: Date.now() },
      { key: "k-old", body: { content: "older mirror", imageUrl: null, privacy: "public" } as never, at: Date.now() },
    ]);
    expect(store.post("tmp_k-photo")!.value.media).toEqual([photo]);
    expect(store.post("tmp_k-old")!.value.media).toEqual([]);
  });
});

describe("web store: live posts and the banner", () => {
  it("inserts at once at the top when idle, else queues behind the banner", () => {
    const { store } = setup();
    store.receivePost(post("p3"));
    expect(store.feedIds.value[0]).toBe("p3");
    store.setViewport(false, true);
    store.receivePost(post("p4"));
    store.receivePost(post("p4")); // duplicates collapse
    store.receivePost(post("p5"));
    expect(store.feedIds.value[0]).toBe("p3");
    expect(store.queue.value.map((p) => p.id)).toEqual(["p5", "p4"]);
    store.setViewport(true, false); // at the top but busy: still queued
    expect(store.queue.value).toHaveLength(2);
    store.setViewport(true, true);
    expect(store.feedIds.value.slice(0, 3)).toEqual(["p5", "p4", "p3"]);
    expect(store.queue.value).toHaveLength(0);
  });

  it("updates posts in place and drops deleted ones", () => {
    const { store, value } = setup();
    store.postUpdated({ post: post("p1", { content: "edited" }) });
    expect(value("p1").content).toBe("edited");
    store.postUpdated({ postId: "p2", deleted: true });
    expect(store.feedIds.value).toEqual(["p1"]);
  });

  it("on a profile keeps only that author's live posts", () => {
    const { store } = setup([], "profile");
    store.boot.profile = { ...OTHER, bio: null, followerCount: 0, followingCount: 0, createdAt: "", isFollowing: false, isFollowedBy: false, isMuted: false, mutualFriends: [], mutualFriendCount: 0 };
    store.receivePost(post("p3", { authorId: "someone-else" }));
    store.receivePost(post("p4"));
    expect(store.feedIds.value).toEqual(["p4"]);
  });
});

describe("web store: catching up", () => {
  it("adds what /feed/updates returns, newest on top, and reloads the first page when told to", async () => {
    const { store, calls } = setup();
    let done = store.catchUp();
    expect(calls[0].path).toBe("/api/v1/feed/updates?since=c0");
    calls[0].resolve(ok({ posts: [post("p4"), post("p3")], newestCursor: "c1" }));
    await done;
    expect(store.feedIds.value).toEqual(["p4", "p3", "p1", "p2"]);
    expect(store.newestCursor.value).toBe("c1");

    const pending = store.createPost({ content: "mine" }); // a temporary post survives a reload
    done = store.catchUp();
    expect(calls[2].path).toBe("/api/v1/feed/updates?since=c1");
    calls[2].resolve(ok({ posts: [], newestCursor: "c9", reload: true }));
    await tick();
    expect(calls[3].path).toBe("/api/v1/feed?limit=20&mode=ranked");
    calls[3].resolve(ok({ posts: [post("p7"), post("p4")], pagination: { nextCursor: "n1", hasMore: true, newestCursor: "c10" } }));
    await done;
    expect(store.feedIds.value).toEqual(["tmp_key-1", "p7", "p4"]);
    expect(store.newestCursor.value).toBe("c10");
    expect(store.hasMore.value).toBe(true);
    calls[1].resolve(err(400, "EMPTY_POST"));
    await pending;
  });
});

describe("web store: comments and shares", () => {
  it("adds a comment at once and rolls it back on failure", async () => {
    const { store, calls, value } = setup();
    const done = commentActionsFor(store).addComment("p1", "nice");
    expect(store.commentsOf("p1").value.items.map((id) => store.comment(id)!.value.content)).toEqual(["nice"]);
    expect(value("p1").commentCount).toBe(1);
    calls[0].resolve(err(404, "POST_NOT_FOUND"));
    expect(await done).toBe(false);
    expect(store.commentsOf("p1").value.items).toHaveLength(0);
    expect(value("p1").commentCount).toBe(0);
    expect(store.notice.value?.text).toContain("comment");
  });

  it("shares optimistically, then shows the share on top", async () => {
    const { store, calls, value } = setup();
    const done = store.share("p2");
    expect(value("p2").shareCount).toBe(1);
    store.setViewport(false, false);
    store.receivePost(post("s1", { postType: "share", authorId: ME.id, author: ME, content: "" })); // its new_post, first
    expect(store.queue.value).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: "POST", path: "/api/v1/posts/p2/share", key: "key-1" });
    calls[0].resolve(ok({ post: post("s1", { postType: "share", authorId: ME.id, author: ME, sharedPost: post("p2", { shareCount: 3 }) }) }, 201));
    await done;
    expect(value("p2").shareCount).toBe(3);
    expect(store.feedIds.value[0]).toBe("s1");
    expect(store.queue.value).toHaveLength(0);
  });
});

describe("web transport: retries", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("retries network errors and 5xx with the same key, never a 4xx", async () => {
    const seen: (string | null)[] = [];
    const answers: (() => Response)[] = [
      () => {
        throw new TypeError("Failed to fetch");
      },
      () => new Response("{}", { status: 503 }),
      () => Response.json({ success: true, data: { post: { id: "p" } } }, { status: 201 }),
    ];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers).get("x-idempotency-key"));
      return answers[seen.length - 1]();
    });
    const res = await call("POST", "/api/v1/posts", { content: "x" }, "the-key");
    expect(res).toMatchObject({ ok: true, status: 201 });
    expect(seen).toEqual(["the-key", "the-key", "the-key"]);

    seen.length = 0;
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers).get("x-idempotency-key"));
      return Response.json({ success: false, error: { code: "EMPTY_POST", message: "empty" } }, { status: 400 });
    });
    expect(await call("POST", "/api/v1/posts", { content: "" }, "k2")).toMatchObject({ ok: false, status: 400, code: "EMPTY_POST" });
    expect(seen).toEqual(["k2"]);
  });
});
