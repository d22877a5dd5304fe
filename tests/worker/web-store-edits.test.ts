/**
 * The web store's own-post edits (web/store-own-edits.ts) with a scripted transport: an edit and a
 * delete show at once and are rolled back, with a message, when the server refuses.
 */
import { describe, expect, it } from "vitest";
import type { Post } from "../../schema/api";
import { createStore, type ApiPort, type ApiResult, type BootState } from "../../web/store";

const ME = { id: "u_me", username: "me", displayName: "Me", avatarUrl: null, isCelebrity: false };
const mine = (id: string): Post => ({
  id,
  authorId: ME.id,
  author: ME,
  content: `text of ${id}`,
  imageUrl: null,
  postType: "text",
  privacy: "public",
  likeCount: 2,
  commentCount: 0,
  shareCount: 0,
  isLiked: false,
  createdAt: "2026-11-01T00:00:00.000Z",
  mentions: [], media: [], updatedAt: "2026-11-01T00:00:00.000Z",
});

function setup() {
  const calls: { method: string; path: string; body: unknown; resolve: (r: ApiResult<unknown>) => void }[] = [];
  const api: ApiPort = {
    newKey: () => crypto.randomUUID(),
    call: <T>(method: string, path: string, body?: unknown) => new Promise<ApiResult<T>>((resolve) => calls.push({ method, path, body, resolve: resolve as never })),
  };
  const boot: BootState = { page: "home", viewer: ME, now: Date.now(), mode: "ranked", feed: { posts: ["a", "b", "c"].map(mine), pagination: { nextCursor: null, hasMore: false, newestCursor: "c0" } } };
  return { store: createStore(boot, { api }), calls };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("web store: editing one's own post", () => {
  it("shows the new text at once, marked edited, and keeps the server's copy", async () => {
    const { store, calls } = setup();
    const done = store.editPost("b", "new words");
    expect(store.post("b")!.value.content).toBe("new words");
    expect(store.post("b")!.value.updatedAt).not.toBe(store.post("b")!.value.createdAt);
    await tick();
    expect(calls[0]).toMatchObject({ method: "PATCH", path: "/api/v1/posts/b", body: { content: "new words" } });
    calls[0].resolve({ ok: true, status: 200, data: { post: { ...mine("b"), content: "new words", updatedAt: "2026-11-02T00:00:00.000Z", likeCount: 7 } } });
    expect(await done).toBe(true);
    expect(store.post("b")!.value).toMatchObject({ content: "new words", updatedAt: "2026-11-02T00:00:00.000Z", likeCount: 7 });
  });

  it("brings the old text back with a message when the server refuses", async () => {
    const { store, calls } = setup();
    const done = store.editPost("b", "rejected words");
    await tick();
    calls[0].resolve({ ok: false, status: 400, code: "CONTENT_TOO_LONG", message: "too long" });
    expect(await done).toBe(false);
    expect(store.post("b")!.value).toMatchObject({ content: "text of b", updatedAt: "2026-11-01T00:00:00.000Z" });
    expect(store.notice.value?.text).toContain("Your edit wasn't saved");
  });
});

describe("web store: deleting one's own post", () => {
  it("takes the card away at once; a refusal puts it back where it was, with a message", async () => {
    const { store, calls } = setup();
    const first = store.deletePost("b");
    expect(store.feedIds.value).toEqual(["a", "c"]);
    await tick();
    expect(calls[0]).toMatchObject({ method: "DELETE", path: "/api/v1/posts/b" });
    calls[0].resolve({ ok: false, status: 429, code: "RATE_LIMITED", message: "slow" });
    expect(await first).toBe(false);
    expect(store.feedIds.value).toEqual(["a", "b", "c"]);
    expect(store.notice.value?.text).toContain("Your post wasn't deleted");
    const second = store.deletePost("b");
    await tick();
    calls[1].resolve({ ok: true, status: 200, data: { deleted: true } });
    expect(await second).toBe(true);
    expect(store.feedIds.value).toEqual(["a", "c"]);
  });

  it("treats a post already gone (deleted in another tab) as deleted", async () => {
    const { store, calls } = setup();
    const done = store.deletePost("a");
    await tick();
    calls[0].resolve({ ok: false, status: 404, code: "POST_NOT_FOUND", message: "gone" });
    expect(await done).toBe(true);
    expect(store.feedIds.value).toEqual(["b", "c"]);
  });
});
