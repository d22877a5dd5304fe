/**
 * /notifications: grouped ("Ada and 3 others liked your post"), newest first, each a link to its
 * post or profile; unread ones stand out. Seen (the page visible), the list is marked read: the
 * badge goes to zero and what is shown keeps its look for this visit.
 */
import { useEffect } from "preact/hooks";
import type { Notification } from "../../schema/api";
import { Avatar } from "../components/PostCard";
import { useStore } from "../components/context";
import { ago } from "../lib/format";
import { actionText, actorsText, notificationHref } from "../lib/notification-text";

export function Notifications() {
  const store = useStore();
  const { items, hasMore, loading } = store.notifications;
  const list = items.value;
  const newest = list[0]?.id;
  useEffect(() => {
    const seen = () => document.visibilityState === "visible" && void store.notifications.markSeen();
    const timer = setTimeout(seen, 300);
    document.addEventListener("visibilitychange", seen);
    return () => (clearTimeout(timer), document.removeEventListener("visibilitychange", seen));
  }, [newest]);
  return (
    <>
      <h1 class="page-title">Notifications</h1>
      {list.length === 0 ? (
        <p class="empty">Nothing yet. When people like, comment on or share your posts, mention or follow you, it shows here.</p>
      ) : (
        <ul class="notifications" data-testid="notifications">
          {list.map((n) => (
            <Item key={n.id} n={n} />
          ))}
        </ul>
      )}
      {hasMore.value && (
        <button type="button" class="btn ghost wide" disabled={loading.value} onClick={() => void store.notifications.loadMoreNotifications()}>
          More notifications
        </button>
      )}
    </>
  );
}

function Item({ n }: { n: Notification }) {
  const store = useStore();
  return (
    <li class={n.read ? "card note" : "card note unread"} data-testid="notification" data-kind={n.kind}>
      <a class="note-link" href={notificationHref(n)}>
        <span class="avatars" aria-hidden="true">
          {n.actors.map((a) => (
            <Avatar key={a.id} user={a} />
          ))}
        </span>
        <span class="note-text">
          <span data-testid="notification-text">
            <strong>{actorsText(n)}</strong> {actionText(n)}
          </span>
          {n.preview && <span class="muted preview">“{n.preview}”</span>}
          <span class="muted small">
            <time dateTime={n.updatedAt}>{ago(n.updatedAt, store.now.value)}</time>
            {!n.read && <span class="sr-only">, unread</span>}
          </span>
        </span>
      </a>
    </li>
  );
}
