/**
 * The reader's notifications: the unread count behind the top bar's badge (every page), and on the
 * /notifications page the list itself. The socket's `notification` messages keep both current; a
 * (re)connect or a poll asks the server again (catch-up); a page that has been seen is marked read.
 */
import { batch, signal } from "@preact/signals";
import type { Notification, NotificationListResponse, NotificationMessage, ReadNotificationsResponse } from "../schema/api";
import { errorText } from "./store-core";
import type { StoreContext } from "./store-context";

export function createNotifications({ boot, api, viewer, fail }: StoreContext) {
  const onPage = boot.page === "notifications";
  const unreadCount = signal(boot.notifications?.unreadCount ?? boot.unreadCount ?? 0);
  const items = signal<Notification[]>(boot.notifications?.notifications ?? []);
  const nextCursor = signal<string | null>(boot.notifications?.pagination.nextCursor ?? null);
  const hasMore = signal(boot.notifications?.pagination.hasMore ?? false);
  const loading = signal(false);
  /** Messages received so far: an answer to a request sent before the newest message is older than it. */
  let received = 0;

  /** A `notification` message: a new or grown group goes on top; a removed one leaves. */
  function receive(msg: NotificationMessage) {
    received++;
    batch(() => {
      unreadCount.value = msg.unreadCount;
      if (!onPage) return;
      const { notification } = msg;
      if (notification) items.value = [notification, ...items.value.filter((n) => n.id !== notification.id)];
      else if (msg.removedId) items.value = items.value.filter((n) => n.id !== msg.removedId);
    });
  }

  /** Catch-up after a (re)connect, or a poll without a socket: the count, and on the page its first page. */
  async function refresh(): Promise<void> {
    if (!viewer) return;
    const asked = received;
    const res = await api.call<NotificationListResponse>("GET", `/api/v1/notifications?limit=${onPage ? 20 : 1}`);
    // A live message that came while this was on its way is newer than this answer (a socket
    // message and an HTTP answer travel separately): it keeps its place.
    if (!res.ok || received !== asked) return;
    batch(() => {
      unreadCount.value = res.data.unreadCount;
      if (!onPage) return;
      const fresh = new Set(res.data.notifications.map((n) => n.id));
      const older = items.value.filter((n) => !fresh.has(n.id) && n.updatedAt < (res.data.notifications.at(-1)?.updatedAt ?? ""));
      items.value = [...res.data.notifications, ...older];
    });
  }

  async function loadMoreNotifications(): Promise<void> {
    if (loading.value || !hasMore.value || !nextCursor.value) return;
    loading.value = true;
    const res = await api.call<NotificationListResponse>("GET", `/api/v1/notifications?cursor=${encodeURIComponent(nextCursor.value)}`);
    batch(() => {
      loading.value = false;
      if (!res.ok) return fail(`Couldn't load more notifications. ${errorText(res.code, res.message)}`);
      const known = new Set(items.value.map((n) => n.id));
      items.value = [...items.value, ...res.data.notifications.filter((n) => !known.has(n.id))];
      nextCursor.value = res.data.pagination.nextCursor;
      hasMore.value = res.data.pagination.hasMore;
      unreadCount.value = res.data.unreadCount;
    });
  }

  /**
   * The list on screen was seen: it is read up to its newest (the server's `upTo`). What is shown
   * keeps its unread look for this visit; the badge follows the server's count.
   */
  async function markSeen(): Promise<void> {
    const newest = items.value[0];
    if (!newest || unreadCount.value === 0) return;
    const asked = received;
    const res = await api.call<ReadNotificationsResponse>("POST", "/api/v1/notifications/read", { upTo: newest.id }, api.newKey());
    if (res.ok && received === asked) unreadCount.value = res.data.unreadCount;
  }

  return { unreadCount, items, nextCursor, hasMore, loading, receive, refresh, loadMoreNotifications, markSeen };
}

export type NotificationsState = ReturnType<typeof createNotifications>;
