/**
 * The web client's state: a signals model (DESIGN.md "Web client"), plain TypeScript with no DOM so
 * the same code renders on the server, runs in the browser and is unit-tested in workerd.
 *
 * - posts by id (one signal per post, so a count change re-renders one card), the ordered feed ids;
 * - pending actions with the values they replaced (rollback), one idempotency key each;
 * - new posts queued behind the "N new posts" banner unless the reader is at the top and idle;
 * - the socket status and the online flag.
 *
 * Pending-action rules:
 * 1. A server count (socket `engagement_update`, a `new_post`/`post_update` copy, a poll) never
 *    overwrites a field that has a pending optimistic change: it is remembered on the action and
 *    applied when the action settles (the action's own response wins when it has a count).
 * 2. Our own post is shown at once under a temporary id; the real one replaces it in place, once,
 *    whichever arrives first: the HTTP response or the post's own `new_post`.
 * 3. A failed action restores what it replaced (or the newest server value seen meanwhile) and
 *    shows an accessible message; a later pending action on the same field inherits its original.
 *
 * Nothing here lives at module level: every request on the server creates its own store.
 */
import { batch, signal, type Signal } from "@preact/signals";
import { createComments } from "./store-comments";
import { errorText, isTemp, TEMP_PREFIX, type ApiPort, type ApiResult, type CommentsState, type Pending } from "./store-core";
import { createPendingRules } from "./store-pending";
import type { FeedResponse, FeedUpdatesResponse, Post, Privacy, UserProfile, UserSummary } from "../schema/api";

export type FeedMode = "ranked" | "latest";
export type Page = "home" | "profile" | "login" | "signup" | "shell" | "missing";
export type SocketStatus = "connecting" | "open" | "closed";

export interface Me extends UserSummary {}

/** What the server embeds in the page (and the offline shell rebuilds from the cache). */
export interface BootState {
  page: Page;
  viewer: Me | null;
  now: number;
  mode: FeedMode;
  feed?: FeedResponse;
  profile?: UserProfile;
  offline?: boolean;
  /** Why a sign-in or sign-up form posted without script failed (the page re-rendered by the worker). */
  authError?: { code: string; message: string };
}

export { errorText, isTemp, TEMP_PREFIX, type ApiPort, type ApiResult, type CommentsState, type Pending } from "./store-core";

export interface StoreOptions {
  api: ApiPort;
  now?: () => number;
}

export type Store = ReturnType<typeof createStore>;

export function createStore(boot: BootState, options: StoreOptions) {
  const { api } = options;
  const clock = options.now ?? (() => Date.now());

  const byId = new Map<string, Signal<Post>>();
  const feedIds = signal<string[]>([]);
  const nextCursor = signal<string | null>(null);
  const hasMore = signal(false);
  const newestCursor = signal<string | null>(null);
  const loading = signal(false);
  const mode = signal<FeedMode>(boot.mode);
  const pending = signal<Pending[]>([]);
  const queue = signal<Post[]>([]);
  const atTop = signal(true);
  const idle = signal(true);
  const socket = signal<SocketStatus>("closed");
  const online = signal(true);
  const notice = signal<{ id: number; text: string } | null>(null);
  const now = signal(boot.now);
  const profile = signal<UserProfile | null>(boot.profile ?? null);
  /** Ids of the posts rendered on screen (the virtualizer's range), sent as `watch_posts`. */
  const onScreen = signal<string[]>([]);
  const comments = new Map<string, Signal<CommentsState>>();
  const viewer = boot.viewer;
  let seq = 0;

  function put(post: Post): Signal<Post> {
    const existing = byId.get(post.id);
    if (existing) {
      existing.value = post;
      return existing;
    }
    const s = signal(post);
    byId.set(post.id, s);
    return s;
  }

  function setFeed(res: FeedResponse, keepTemps = false) {
    batch(() => {
      const temps = keepTemps ? feedIds.value.filter(isTemp) : [];
      for (const p of res.posts) put(p);
      const ids = res.posts.map((p) => p.id);
      feedIds.value = [...temps, ...ids.filter((id) => !temps.includes(id))];
      nextCursor.value = res.pagination.nextCursor;
      hasMore.value = res.pagination.hasMore;
      newestCursor.value = res.pagination.newestCursor;
      queue.value = [];
    });
  }
  if (boot.feed) setFeed(boot.feed);

  function fail(text: string) {
    notice.value = { id: ++seq, text };
  }

  const { pendingOn, addPending, dropPending, patch, serverCount, mergeServerPost, settle, rollback } = createPendingRules({ byId, pending, put, fail });

  // ------------------------------------------------------------------------------------------
  // Likes: serialized per post so a like and an unlike reach the server in click order.
  const likeChains = new Map<string, Promise<unknown>>();
  function toggleLike(postId: string): Promise<unknown> {
    const s = byId.get(postId);
    if (!s || isTemp(postId)) return Promise.resolve();
    const post = s.value;
    const liked = !post.isLiked;
    const held = pendingOn(postId, "likeCount")[0];
    const action = addPending({
      kind: liked ? "like" : "unlike",
      key: api.newKey(),
      postId,
      field: "likeCount",
      original: held ? held.original : { isLiked: post.isLiked, likeCount: post.likeCount },
    });
    patch(postId, { isLiked: liked, likeCount: Math.max(0, post.likeCount + (liked ? 1 : -1)) });
    const run = async () => {
      const res = await api.call<{ liked: boolean; likeCount: number }>(liked ? "POST" : "DELETE", `/api/v1/posts/${postId}/like`, undefined, action.key);
      if (res.ok) settle(action, { isLiked: res.data.liked, likeCount: res.data.likeCount });
      else rollback(action, liked ? `Couldn't like the post. ${errorText(res.code, res.message)}` : `Couldn't remove the like. ${errorText(res.code, res.message)}`);
    };
    const chain = (likeChains.get(postId) ?? Promise.resolve()).then(run, run);
    likeChains.set(postId, chain);
    return chain;
  }

  // ------------------------------------------------------------------------------------------
  // Posts
  function insertTop(ids: string[]) {
    const fresh = ids.filter((id) => !feedIds.value.includes(id));
    if (fresh.length === 0) return;
    const temps = feedIds.value.filter(isTemp);
    const rest = feedIds.value.filter((id) => !isTemp(id));
    feedIds.value = [...temps, ...fresh, ...rest];
  }

  function tempPost(key: string, body: { content: string; imageUrl: string | null; privacy: Privacy }, at: number): Post {
    const iso = new Date(at).toISOString();
    return {
      id: TEMP_PREFIX + key,
      authorId: viewer?.id ?? "",
      author: viewer ?? { id: "", username: "you", displayName: "You", avatarUrl: null, isCelebrity: false },
      content: body.content,
      imageUrl: body.imageUrl,
      postType: body.imageUrl ? "image" : "text",
      privacy: body.privacy,
      likeCount: 0,
      commentCount: 0,
      shareCount: 0,
      isLiked: false,
      createdAt: iso,
      updatedAt: iso,
    };
  }

  /** Rule 2: the real post takes the temporary one's place, exactly once. */
  function resolvePost(key: string, real: Post) {
    batch(() => {
      const action = pending.value.find((a) => a.kind === "post" && a.key === key);
      if (action) dropPending(action);
      const tempId = TEMP_PREFIX + key;
      mergeServerPost(real);
      const ids = feedIds.value;
      if (ids.includes(real.id)) feedIds.value = ids.filter((id) => id !== tempId);
      else if (ids.includes(tempId)) feedIds.value = ids.map((id) => (id === tempId ? real.id : id));
      else if (wantsPost(real)) insertTop([real.id]);
      byId.delete(tempId);
      queue.value = queue.value.filter((p) => p.id !== real.id);
    });
  }

  function createPost(input: { content: string; imageUrl?: string | null; privacy?: Privacy }, key = api.newKey()): Promise<boolean> {
    const body = { content: input.content, imageUrl: input.imageUrl || null, privacy: input.privacy ?? "public" };
    const temp = tempPost(key, body, clock());
    const action = addPending({ kind: "post", key, postId: temp.id, original: {}, body });
    batch(() => {
      put(temp);
      feedIds.value = [temp.id, ...feedIds.value];
    });
    return sendPost(action);
  }

  async function sendPost(action: Pending): Promise<boolean> {
    const body = action.body!;
    const res = await api.call<{ post?: Post; queued?: boolean }>("POST", "/api/v1/posts", { ...body, imageUrl: body.imageUrl ?? undefined }, action.key);
    if (res.ok && res.data.queued) {
      markQueued(action.key);
      return true;
    }
    if (res.ok && res.data.post) {
      resolvePost(action.key, res.data.post);
      return true;
    }
    if (!res.ok) failPost(action.key, res.code, res.message);
    return false;
  }

  function markQueued(key: string) {
    pending.value = pending.value.map((a) => (a.kind === "post" && a.key === key ? { ...a, queued: true } : a));
  }

  function failPost(key: string, code: string, message?: string) {
    const action = pending.value.find((a) => a.kind === "post" && a.key === key);
    batch(() => {
      if (action) dropPending(action);
      const tempId = TEMP_PREFIX + key;
      feedIds.value = feedIds.value.filter((id) => id !== tempId);
      byId.delete(tempId);
      fail(`Your post wasn't published. ${errorText(code, message)}`);
    });
  }

  /** Shows posts written offline (from the outbox mirror) after a reload. */
  function restoreQueued(items: { key: string; body: { content: string; imageUrl: string | null; privacy: Privacy }; at: number }[]) {
    batch(() => {
      for (const item of items) {
        if (pending.value.some((a) => a.key === item.key)) continue;
        const temp = tempPost(item.key, item.body, item.at);
        addPending({ kind: "post", key: item.key, postId: temp.id, original: {}, body: item.body, queued: true });
        put(temp);
        feedIds.value = [temp.id, ...feedIds.value.filter((id) => id !== temp.id)];
      }
    });
  }

  /** The service worker's outbox holds only `keys`: queued posts not among them were sent earlier. */
  function forgetQueued(keys: string[]) {
    batch(() => {
      for (const a of pending.value.filter((a) => a.kind === "post" && a.queued && !keys.includes(a.key))) {
        dropPending(a);
        feedIds.value = feedIds.value.filter((id) => id !== a.postId);
        byId.delete(a.postId);
      }
    });
  }

  /** The outbox replayed a post: `post` when it was published, else its error. */
  function outboxResult(key: string, result: ApiResult<{ post: Post }>) {
    if (result.ok) resolvePost(key, result.data.post);
    else failPost(key, result.code, result.message);
  }

  function wantsPost(post: Post): boolean {
    if (boot.page === "profile") return post.authorId === boot.profile?.id;
    return true;
  }

  /** A post that entered the feed live (socket) or by polling. */
  function receivePost(post: Post) {
    if (!wantsPost(post)) return;
    if (byId.has(post.id) && feedIds.value.includes(post.id)) return mergeServerPost(post);
    if (queue.value.some((p) => p.id === post.id)) return;
    if (viewer && post.authorId === viewer.id) {
      // Rule 2: our own post's new_post may beat the HTTP response.
      const own = pending.value.find(
        (a) => a.kind === "post" && a.body && a.body.content === post.content && (a.body.imageUrl ?? null) === (post.imageUrl ?? null),
      );
      if (own) return resolvePost(own.key, post);
    }
    put(post);
    if (atTop.value && idle.value) insertTop([post.id]);
    else queue.value = [post, ...queue.value];
  }

  /** Shows the queued new posts (the banner's action, or automatically at the top when idle). */
  function showQueued() {
    if (queue.value.length === 0) return;
    batch(() => {
      const q = queue.value;
      for (const p of q) put(p);
      insertTop(q.map((p) => p.id));
      queue.value = [];
    });
  }

  function setViewport(top: boolean, isIdle: boolean) {
    batch(() => {
      atTop.value = top;
      idle.value = isIdle;
      if (top && isIdle) showQueued();
    });
  }

  function postUpdated(payload: { post: Post } | { postId: string; deleted: true }) {
    if ("deleted" in payload) {
      batch(() => {
        feedIds.value = feedIds.value.filter((id) => id !== payload.postId);
        queue.value = queue.value.filter((p) => p.id !== payload.postId);
      });
      return;
    }
    if (byId.has(payload.post.id)) mergeServerPost(payload.post);
  }

  // ------------------------------------------------------------------------------------------
  // Comments (web/store-comments.ts) and shares
  const { commentsOf, loadComments, toggleComments, addComment } = createComments({ api, clock, byId, viewer, comments, fail, pendingOn, addPending, patch, settle, rollback });

  async function share(postId: string): Promise<boolean> {
    const post = byId.get(postId)?.value;
    if (!post || isTemp(postId)) return false;
    // Sharing a share shares its original.
    const targetId = post.postType === "share" && post.sharedPost ? post.sharedPost.id : postId;
    const target = byId.get(targetId)?.value ?? post;
    const held = pendingOn(targetId, "shareCount")[0];
    const action = addPending({ kind: "share", key: api.newKey(), postId: targetId, field: "shareCount", original: held ? held.original : { shareCount: target.shareCount } });
    patch(targetId, { shareCount: target.shareCount + 1 });
    const res = await api.call<{ post: Post }>("POST", `/api/v1/posts/${targetId}/share`, {}, action.key);
    if (res.ok) {
      batch(() => {
        const shared = res.data.post.sharedPost;
        settle(action, shared ? { shareCount: shared.shareCount } : null);
        if (boot.page === "home") {
          // Our own share, shown now (its new_post may already wait behind the banner).
          put(res.data.post);
          insertTop([res.data.post.id]);
          queue.value = queue.value.filter((p) => p.id !== res.data.post.id);
        }
      });
      return true;
    }
    rollback(action, `Couldn't share the post. ${errorText(res.code, res.message)}`);
    return false;
  }

  // ------------------------------------------------------------------------------------------
  // Feed paging, mode, catch-up
  function feedPath(cursor: string | null, limit: number): string {
    const qs = new URLSearchParams({ limit: String(limit) });
    if (cursor) qs.set("cursor", cursor);
    if (boot.page === "profile" && boot.profile) return `/api/v1/users/${encodeURIComponent(boot.profile.username)}/posts?${qs}`;
    qs.set("mode", mode.value);
    return `/api/v1/feed?${qs}`;
  }

  async function loadMore(): Promise<void> {
    if (loading.value || !hasMore.value || !nextCursor.value) return;
    loading.value = true;
    const res = await api.call<FeedResponse>("GET", feedPath(nextCursor.value, 30));
    batch(() => {
      loading.value = false;
      if (!res.ok) return fail(`Couldn't load more posts. ${errorText(res.code, res.message)}`);
      const seen = new Set(feedIds.value);
      for (const p of res.data.posts) mergeServerPost(p);
      feedIds.value = [...feedIds.value, ...res.data.posts.map((p) => p.id).filter((id) => !seen.has(id))];
      nextCursor.value = res.data.pagination.nextCursor;
      hasMore.value = res.data.pagination.hasMore;
      if (!newestCursor.value) newestCursor.value = res.data.pagination.newestCursor;
    });
  }

  async function reload(nextMode: FeedMode = mode.value): Promise<boolean> {
    const previous = mode.value;
    mode.value = nextMode;
    loading.value = true;
    const res = await api.call<FeedResponse>("GET", feedPath(null, 20));
    loading.value = false;
    if (!res.ok) {
      mode.value = previous;
      fail(`Couldn't load the feed. ${errorText(res.code, res.message)}`);
      return false;
    }
    if (mode.value !== nextMode) return false; // a newer switch won
    setFeed(res.data, true);
    return true;
  }

  /** The answer of /feed/updates (polling without a socket, or after a reconnect). */
  async function catchUp(): Promise<void> {
    if (boot.page !== "home" || !newestCursor.value) return;
    const res = await api.call<FeedUpdatesResponse>("GET", `/api/v1/feed/updates?since=${encodeURIComponent(newestCursor.value)}`);
    if (!res.ok) return;
    if (res.data.reload) {
      await reload();
      return;
    }
    batch(() => {
      // Oldest first so the newest ends on top.
      for (const p of [...res.data.posts].reverse()) receivePost(p);
      newestCursor.value = res.data.newestCursor;
    });
  }

  // ------------------------------------------------------------------------------------------
  // Profile
  async function toggleFollow(): Promise<boolean> {
    const p = profile.value;
    if (!p) return false;
    const follow = !p.isFollowing;
    profile.value = { ...p, isFollowing: follow, followerCount: Math.max(0, p.followerCount + (follow ? 1 : -1)) };
    const res = await api.call<{ following: boolean; followerCount: number }>(
      follow ? "POST" : "DELETE",
      `/api/v1/users/${encodeURIComponent(p.username)}/follow`,
      undefined,
      api.newKey(),
    );
    const current = profile.value!;
    if (res.ok) profile.value = { ...current, isFollowing: res.data.following, followerCount: res.data.followerCount };
    else {
      profile.value = { ...current, isFollowing: p.isFollowing, followerCount: p.followerCount };
      fail(`Couldn't ${follow ? "follow" : "unfollow"} @${p.username}. ${errorText(res.code, res.message)}`);
    }
    return res.ok;
  }

  /** The newest real posts, for the offline cache. */
  function snapshot(limit = 20): Post[] {
    const out: Post[] = [];
    for (const id of feedIds.value) {
      if (out.length >= limit) break;
      const p = byId.get(id);
      if (p && !isTemp(id)) out.push(p.value);
    }
    return out;
  }

  return {
    boot,
    viewer,
    byId,
    feedIds,
    nextCursor,
    hasMore,
    newestCursor,
    loading,
    mode,
    pending,
    queue,
    atTop,
    idle,
    socket,
    online,
    notice,
    now,
    profile,
    onScreen,
    post: (id: string) => byId.get(id),
    commentsOf,
    toggleLike,
    createPost,
    resolvePost,
    markQueued,
    restoreQueued,
    outboxResult,
    forgetQueued,
    receivePost,
    showQueued,
    setViewport,
    serverCount,
    postUpdated,
    toggleComments,
    loadComments,
    addComment,
    share,
    loadMore,
    reload,
    catchUp,
    toggleFollow,
    snapshot,
    fail,
  };
}
