/**
 * The web client's state: a signals model (DESIGN.md "Web client"), plain TypeScript with no DOM so
 * the same code renders on the server, runs in the browser and is unit-tested in workerd. This file
 * makes one store and is what the pages, the worker's renderer and the tests import; the parts:
 *
 * - web/store-core.ts        the shared vocabulary: boot state, transport, pending actions, the
 *                            context the parts share (`StoreContext`), error messages;
 * - web/store-feed.ts        posts by id (one signal per post, so a count change re-renders one card),
 *                            the ordered feed ids, the new-posts queue, paging and reload;
 * - web/store-pending.ts     pending actions with the values they replaced (rules 1 and 3 below);
 * - web/store-own-posts.ts   the reader's own posts: temporary id, real id, offline outbox (rule 2);
 * - web/store-engagement.ts  likes, shares and follows; web/store-comments.ts comments and replies
 *                            (their changes, web/comment-actions.ts, load with the thread's code);
 * - web/store-notifications.ts  the unread badge and the notifications page;
 * - web/store-own-edits.ts   editing and deleting the reader's own posts;
 * - web/store-incoming.ts    live and polled posts, edits and deletes, the banner, catch-up;
 * - here: the socket status, the online flag, the alert, the profile on screen.
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
import { signal, type Signal } from "@preact/signals";
import type { SuggestedUser, UserProfile } from "../schema/api";
import { createComments } from "./store-comments";
import type { ApiPort, BootState, Pending, SocketStatus } from "./store-core";
import type { StoreContext } from "./store-context";
import { createEngagement } from "./store-engagement";
import { createFeedState } from "./store-feed";
import { createPaging } from "./store-paging";
import { createIncoming } from "./store-incoming";
import { createNotifications } from "./store-notifications";
import { createOwnPosts } from "./store-own-posts";
import { createOwnEdits } from "./store-own-edits";
import { createPendingRules } from "./store-pending";

export {
  errorText,
  isTemp,
  TEMP_PREFIX,
  type ApiPort,
  type ApiResult,
  type BootState,
  type CommentsState,
  type FeedMode,
  type Me,
  type Page,
  type PeopleBoot,
  type Pending,
  type PostBody,
  type QueuedPost,
  type SocketStatus,
} from "./store-core";

export interface StoreOptions {
  api: ApiPort;
  now?: () => number;
}

export type Store = ReturnType<typeof createStore>;

export function createStore(boot: BootState, options: StoreOptions) {
  const { api } = options;
  const clock = options.now ?? (() => Date.now());
  const viewer = boot.viewer;

  const feed = createFeedState(boot);
  const pending = signal<Pending[]>([]);
  const socket = signal<SocketStatus>("closed");
  const online = signal(true);
  const notice = signal<{ id: number; text: string } | null>(null);
  const now = signal(boot.now);
  const profile = signal<UserProfile | null>(boot.profile ?? null);
  /** People you may know for the card in the feed, fetched once per page (web/components/Suggestions.tsx). */
  const suggestions = signal<SuggestedUser[] | null>(null);
  /** Ids of the posts rendered on screen (the virtualizer's range), sent as `watch_posts`. */
  const onScreen = signal<string[]>([]);
  let seq = 0;

  function fail(text: string) {
    notice.value = { id: ++seq, text };
  }

  const rules = createPendingRules({ byId: feed.byId, pending, put: feed.put, fail });
  const ctx: StoreContext = { boot, api, clock, viewer, pending, fail, ...feed, ...rules };
  const paging = createPaging(ctx);
  const { resolveOwn, ...ownPosts } = createOwnPosts(ctx);
  const incoming = createIncoming({ ...ctx, resolveOwn, reload: paging.reload });
  const { byId, feedIds, nextCursor, hasMore, newestCursor, loading, mode, queue, snapshot } = feed;

  return {
    boot,
    api,
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
    socket,
    online,
    notice,
    now,
    profile,
    suggestions,
    onScreen,
    post: (id: string) => byId.get(id),
    snapshot,
    serverCount: rules.serverCount,
    fail,
    // createPost, resolvePost, markQueued, restoreQueued, outboxResult, forgetQueued
    ...ownPosts,
    // loadMore, reload
    ...paging,
    // atTop, idle, receivePost, showQueued, setViewport, postUpdated, catchUp
    ...incoming,
    // toggleLike, share, toggleFollow
    ...createEngagement({ ...ctx, profile }),
    // commentsOf, repliesOf, comment, loadComments, loadReplies, toggleComments, toggleReplies,
    // serverCommentCount, commentParts (the changes: web/comment-actions.ts, loaded with the thread)
    ...createComments(ctx),
    /** What the store's parts share, for a part loaded later (web/comment-actions.ts). */
    context: ctx,
    /** The unread badge and the /notifications page (web/store-notifications.ts). */
    notifications: createNotifications(ctx),
    // editPost, deletePost (the reader's own posts)
    ...createOwnEdits(ctx),
  };
}
