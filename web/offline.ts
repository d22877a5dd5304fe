/**
 * Offline support: the last 20 feed posts in localStorage (at most an hour old) for an instant,
 * network-free first paint; a mirror of the posts waiting in the service worker's outbox so they
 * stay visible across reloads; the online flag; and the service worker's messages.
 */
import { effect } from "@preact/signals";
import type { ApiEnvelope, FeedResponse, Post, PostResponse } from "../schema/api";
import type { Store } from "./store";
import type { ApiResult, BootState, FeedMode, Me, QueuedPost } from "./store-core";
import type { FromServiceWorker, ToServiceWorker } from "./sw-messages";

const FEED_KEY = "ef:feed:v1";
const OUTBOX_KEY = "ef:outbox:v1";
export const CACHE_MAX_AGE_MS = 60 * 60 * 1000;

interface CachedFeed {
  savedAt: number;
  viewer: Me;
  mode: FeedMode;
  posts: Post[];
  newestCursor: string | null;
}

function read<T>(key: string): T | null {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "null") as T | null;
  } catch {
    return null;
  }
}
function write(key: string, value: unknown) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {}
}

/** Drops the signed-out viewer's cached feed and outbox mirror (on log-out, and on the sign-in page). */
export function forgetOfflineData(): void {
  try {
    localStorage.removeItem(FEED_KEY);
    localStorage.removeItem(OUTBOX_KEY);
  } catch {}
}

/** The boot state the offline shell shows: the cached feed when it is fresh enough. */
export function bootFromCache(path: string): BootState {
  const cached = read<CachedFeed>(FEED_KEY);
  const fresh = cached && Date.now() - cached.savedAt <= CACHE_MAX_AGE_MS ? cached : null;
  const base = { viewer: fresh?.viewer ?? null, now: Date.now(), mode: fresh?.mode ?? ("ranked" as FeedMode), offline: true };
  if (path === "/login" || path === "/signup") return { ...base, page: path.slice(1) as "login" | "signup" };
  if (path !== "/" || !fresh) return { ...base, page: "missing" };
  const feed: FeedResponse = { posts: fresh.posts, pagination: { nextCursor: null, hasMore: false, newestCursor: fresh.newestCursor } };
  return { ...base, page: "home", feed };
}

export function setupOffline(store: Store): void {
  const home = store.boot.page === "home" && store.viewer;
  if (home) {
    // Posts written offline in an earlier visit, still in the outbox.
    const mirror = read<QueuedPost[]>(OUTBOX_KEY) ?? [];
    if (mirror.length) store.restoreQueued(mirror);
    let t: ReturnType<typeof setTimeout> | undefined;
    effect(() => {
      store.feedIds.value;
      if (store.boot.offline && !store.online.value) return;
      clearTimeout(t);
      t = setTimeout(() => {
        const posts = store.snapshot(20);
        if (posts.length || !store.boot.offline)
          write(FEED_KEY, { savedAt: Date.now(), viewer: store.viewer!, mode: store.mode.value, posts, newestCursor: store.newestCursor.value } satisfies CachedFeed);
      }, 250);
    });
    effect(() => {
      const queued = store.pending.value.filter((a) => a.kind === "post" && a.queued && a.body);
      write(
        OUTBOX_KEY,
        queued.map((a): QueuedPost => ({ key: a.key, body: a.body!, at: Date.parse(store.post(a.postId)?.value.createdAt ?? "") || Date.now() })),
      );
    });
  }

  store.online.value = navigator.onLine;
  const flush = () => navigator.serviceWorker?.controller?.postMessage({ type: "flush" } satisfies ToServiceWorker);
  addEventListener("offline", () => (store.online.value = false));
  addEventListener("online", () => {
    store.online.value = true;
    flush();
    if (store.boot.offline) void store.reload();
    else void store.catchUp();
  });

  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", (event) => {
    const msg = event.data as FromServiceWorker;
    if (msg.type === "outbox-sent" && msg.key) store.outboxResult(msg.key, replayResult(msg.status, msg.body));
    if (msg.type === "outbox" && msg.keys) store.forgetQueued(msg.keys);
  });
  const register = () =>
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then(flush)
      .catch(() => {});
  if (document.readyState === "complete") register();
  else addEventListener("load", register);
}

/** The server's answer to a post replayed from the outbox (the envelope's text), as the store's result. */
function replayResult(status: number | undefined, body: string | undefined): ApiResult<PostResponse> {
  let env: ApiEnvelope<PostResponse> | undefined;
  try {
    env = JSON.parse(body ?? "{}");
  } catch {}
  if (env?.success && env.data) return { ok: true, status: status ?? 201, data: env.data };
  const error = env && !env.success ? env.error : undefined;
  return { ok: false, status: status ?? 0, code: error?.code ?? "HTTP_ERROR", message: error?.message ?? "" };
}
