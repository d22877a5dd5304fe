/**
 * The HTML document around the app: the same components the browser hydrates, rendered with
 * preact-render-to-string, the CSS inlined (no render-blocking request), and the boot state
 * embedded as JSON that can never close its <script> element (every "<" is written \u003c).
 * Used by the worker for every page and by scripts/build-web.mjs for the offline shell.
 */
import renderToString from "preact-render-to-string";
import type { ComponentType } from "preact";
import { App, Missing } from "../../web/components/App";
import { Login, Signup } from "../../web/pages/Auth";
import { Thread } from "../../web/components/Thread";
import { provideThread } from "../../web/components/thread-slot";
import { EditPost, OwnPostMenu as OwnMenu } from "../../web/components/OwnPost";
import { EditPostSlot, OwnPostMenu } from "../../web/components/PostCard";
import { Suggestions } from "../../web/components/Suggestions";
import { Suggestions as HomeSuggestions } from "../../web/pages/Home";
import { Home } from "../../web/pages/Home";
import { Notifications } from "../../web/pages/Notifications";
import { PostPage } from "../../web/pages/Post";
import { Profile } from "../../web/pages/Profile";
import { People } from "../../web/pages/People";
import { Settings } from "../../web/pages/Settings";
import { createStore, type ApiPort, type BootState, type Page } from "../../web/store";
import { CSS } from "../../web/styles";

/** The server never performs actions: its store's transport refuses. */
const noApi: ApiPort = {
  call: async () => ({ ok: false, status: 0, code: "SERVER_RENDER", message: "Not available while rendering." }),
  newKey: () => "server",
};

/** JSON safe inside <script type="application/json">: no "<" (so no "</script>" or "<!--"), no U+2028/2029. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The server renders open threads at once (the browser's feed bundles load the thread lazily).
provideThread(Thread);
// Likewise what the feed's pages load after their first paint: suggestions, the own-post menu.
HomeSuggestions.provide(Suggestions);
OwnPostMenu.provide(OwnMenu);
EditPostSlot.provide(EditPost);

/** Each page's component and the browser bundle that hydrates it (scripts/build-web.mjs builds them). */
const PAGES: Record<Page, [ComponentType, string]> = {
  home: [Home, "/home.js"],
  profile: [Profile, "/profile.js"],
  post: [PostPage, "/post.js"],
  notifications: [Notifications, "/notifications.js"],
  people: [People, "/people.js"],
  settings: [Settings, "/settings.js"],
  login: [Login, "/auth.js"],
  signup: [Signup, "/auth.js"],
  missing: [Missing, "/home.js"],
  shell: [() => null, "/home.js"],
};

/** `head`: more of the <head>, already escaped (a post page's Open Graph tags). */
export function renderDocument(boot: BootState, title: string, head = ""): string {
  // A fresh store per render: nothing per-request may live at module level (isolates are reused).
  const [page, script] = PAGES[boot.page];
  const body = renderToString(<App store={createStore(boot, { api: noApi })} page={page} />);
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="color-scheme" content="light dark"><title>${escapeHtml(title)}</title>${head}` +
    `<link rel="icon" href="/favicon.svg" type="image/svg+xml">` +
    `<style>${CSS}</style><script type="module" src="${script}"></script></head>` +
    `<body><div id="app">${body}</div>` +
    `<script id="ef-state" type="application/json">${safeJson(boot)}</script></body></html>`
  );
}

/** The offline shell the service worker serves when a navigation cannot reach the network. */
export function renderShell(): string {
  return renderDocument({ page: "shell", viewer: null, now: 0, mode: "ranked" }, "edgefeed");
}
