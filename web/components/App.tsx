/**
 * The frame every page shares (skip link, top bar, live error region). The page itself is passed
 * in, so each browser bundle (web/entries/) carries only its own page while the server renders
 * them all with the same components.
 */
import type { ComponentType } from "preact";
import { call } from "../lib/api";
import { forgetOfflineData } from "../offline";
import type { Store } from "../store";
import { Avatar } from "./Avatar";
import { StoreContext, useStore } from "./context";
import { Search } from "./Search";

export function App({ store, page: Page }: { store: Store; page: ComponentType }) {
  return (
    <StoreContext.Provider value={store}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <TopBar />
      <main id="main" tabIndex={-1}>
        <Page />
      </main>
      <Notice />
    </StoreContext.Provider>
  );
}

export function Missing() {
  return <p class="empty">That page doesn't exist, or you're offline and it isn't saved.</p>;
}

function TopBar() {
  const store = useStore();
  const me = store.viewer;
  return (
    <header class="top">
      <nav class="bar" aria-label="Main">
        <a class="brand" href="/">
          edgefeed
        </a>
        {me && <Search />}
        {me && <Status />}
        {me && (
          <span class="grow-right">
            <Bell />
            <a href="/settings" class="btn ghost small" data-testid="settings-link">
              Settings
            </a>
            <a href={`/profile/${encodeURIComponent(me.username)}`} class="me">
              <Avatar user={me} />
              <span class="sr-only">Your profile</span>
            </a>
            {/* A plain form post logs out even before the script has loaded. */}
            <form
              method="post"
              action="/logout"
              class="inline"
              onSubmit={async (e) => {
                e.preventDefault();
                await call("POST", "/api/v1/auth/logout");
                forgetOfflineData();
                location.assign("/login");
              }}
            >
              <button type="submit" class="btn ghost small">
                Log out
              </button>
            </form>
          </span>
        )}
      </nav>
    </header>
  );
}

/** The notifications link with the unread badge (kept current by the socket and catch-up: web/store-notifications.ts). */
function Bell() {
  const store = useStore();
  const n = store.notifications.unreadCount.value;
  const here = store.boot.page === "notifications";
  return (
    <a
      href="/notifications"
      class="bell"
      data-testid="notifications-link"
      aria-current={here ? "page" : undefined}
      aria-label={n > 0 ? `Notifications, ${n} unread` : "Notifications"}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true">
        <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0" />
      </svg>
      {n > 0 && (
        <span class="bell-count" data-testid="unread-badge" aria-hidden="true">
          {n > 99 ? "99+" : n}
        </span>
      )}
    </a>
  );
}

function Status() {
  const store = useStore();
  const online = store.online.value;
  const live = store.socket.value === "open";
  const state = !online ? "offline" : live ? "live" : "online";
  return (
    <span class={`status ${state}`} data-testid="connection-status" data-state={state} role="status">
      <span class="dot" aria-hidden="true" />
      {state === "offline" ? "Offline" : live ? "Live" : "Online"}
    </span>
  );
}

/** The one place errors are shown: a live region that screen readers announce. */
function Notice() {
  const store = useStore();
  const n = store.notice.value;
  return (
    <div class="notice-wrap" role="alert" aria-live="assertive" aria-atomic="true">
      {n && (
        <div class="notice" data-testid="error-message" key={n.id}>
          <span>{n.text}</span>
          <button type="button" class="btn ghost small" aria-label="Dismiss" onClick={() => (store.notice.value = null)}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
