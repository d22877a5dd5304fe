/**
 * Edge-rendered pages. `/`, `/profile/:username` (its followers and following), `/notifications`,
 * `/post/:id` and `/settings` read their data through the same code the API uses (the viewer's
 * UserFeed for the feed and notifications; core/ reads for the rest), render with the web client's
 * components and embed the state it hydrates from, so the browser refetches nothing. Without a
 * session they redirect to /login, except a post page: a public post renders for anyone (with its
 * Open Graph tags), any other answers the 404 page to whoever may not see it. A profile absent to
 * the viewer (unknown, blocked either way, deleted) is the 404 page.
 */
import { readDb } from "../lib/d1";
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { FeedMode, Me, BootState } from "../../web/store";
import type { FeedResponse } from "../../schema/api";
import { readConfig } from "../../core/config";
import { deserializeApiError } from "../../core/errors";
import { firstReplies, topLevelComments } from "../../core/comments";
import { followListPage, relationListPage } from "../../core/people";
import { authorPostsPage, loadVisiblePost } from "../../core/posts";
import { suggestionsFor } from "../../core/suggestions";
import { findUserById, findUserVisibleTo, loadProfile, toUserSummary } from "../../core/users";
import { readSession } from "../lib/session";
import { renderDocument } from "../ssr/document";
import { postMeta, postTitle } from "../ssr/post-meta";
import type { AppEnv, Viewer } from "../types";

const FIRST_PAGE = 20;
/** Replies shown under each top-level comment of a post page before "More replies". */
const REPLIES_SHOWN = 3;
const LIST_PAGE = 30;

export function html(c: Context<AppEnv>, body: string, status: ContentfulStatusCode = 200) {
  return c.body(body, status, {
    "Content-Type": "text/html; charset=UTF-8",
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    // Defence in depth: no inline script runs (the boot state is inert JSON), images from anywhere.
    "Content-Security-Policy":
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data: blob:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  });
}

/** The badge's count: the viewer's UserFeed holds the notifications (one call, no D1). */
const unread = (c: Context<AppEnv>, viewer: Viewer) => c.env.USER_FEED.getByName(viewer.id).unreadNotifications();

async function me(c: Context<AppEnv>, viewer: Viewer): Promise<Me> {
  const row = await findUserById((await readDb(c)), viewer.id);
  if (!row) return { id: viewer.id, username: viewer.username, displayName: viewer.username, avatarUrl: null, isCelebrity: false };
  return toUserSummary(row, readConfig(c.env).celebrityThreshold);
}

const missing = (c: Context<AppEnv>, user: Me | null, unreadCount?: number) =>
  html(c, renderDocument({ page: "missing", viewer: user, now: Date.now(), mode: "ranked", unreadCount }, "Not found · edgefeed"), 404);

export const pageRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const viewer = await readSession(c);
    if (!viewer) return c.redirect("/login", 302);
    const mode: FeedMode = c.req.query("mode") === "latest" ? "latest" : "ranked";
    const [result, user, unreadCount] = await Promise.all([c.env.USER_FEED.getByName(viewer.id).readFeed({ limit: FIRST_PAGE, mode }, null), me(c, viewer), unread(c, viewer)]);
    if (!result.ok) throw deserializeApiError(result.error);
    const feed = JSON.parse(result.json) as FeedResponse;
    // An empty feed (a new user's first screen) comes with people to follow: one more statement, only then.
    const suggestions = feed.posts.length === 0 ? await suggestionsFor((await readDb(c)), viewer.id, 10, readConfig(c.env).celebrityThreshold) : undefined;
    const boot: BootState = { page: "home", viewer: user, now: Date.now(), mode, feed, suggestions, unreadCount };
    return html(c, renderDocument(boot, "Home · edgefeed"));
  })
  .get("/profile/:username", async (c) => {
    const viewer = await readSession(c);
    if (!viewer) return c.redirect("/login", 302);
    const threshold = readConfig(c.env).celebrityThreshold;
    const [author, user, unreadCount] = await Promise.all([findUserVisibleTo((await readDb(c)), viewer.id, { username: c.req.param("username") }), me(c, viewer), unread(c, viewer)]);
    if (!author) return missing(c, user, unreadCount);
    // The first page of GET /api/v1/users/:username/posts, by the same code.
    const [profile, feed] = await Promise.all([
      loadProfile((await readDb(c)), viewer.id, author, threshold),
      authorPostsPage((await readDb(c)), viewer.id, author.id, null, FIRST_PAGE, threshold),
    ]);
    const boot: BootState = { page: "profile", viewer: user, now: Date.now(), mode: "latest", feed, profile, unreadCount };
    return html(c, renderDocument(boot, `${profile.displayName} (@${profile.username}) · edgefeed`));
  })
  .get("/notifications", async (c) => {
    const viewer = await readSession(c);
    if (!viewer) return c.redirect("/login", 302);
    const [list, user] = await Promise.all([c.env.USER_FEED.getByName(viewer.id).readNotifications({ limit: FIRST_PAGE }, null), me(c, viewer)]);
    if (!list.ok) throw deserializeApiError(list.error);
    const boot: BootState = { page: "notifications", viewer: user, now: Date.now(), mode: "ranked", notifications: JSON.parse(list.json) };
    return html(c, renderDocument(boot, "Notifications · edgefeed"));
  })
  .get("/post/:id", async (c) => {
    const viewer = await readSession(c);
    // Signed out, the viewer is nobody (no account has the empty id): public posts only.
    const viewerId = viewer?.id ?? "";
    const threshold = readConfig(c.env).celebrityThreshold;
    const [post, user, unreadCount] = await Promise.all([
      loadVisiblePost((await readDb(c)), viewerId, c.req.param("id"), threshold),
      viewer ? me(c, viewer) : null,
      viewer ? unread(c, viewer) : undefined,
    ]);
    if (!post) return html(c, renderDocument({ page: "missing", viewer: user, now: Date.now(), mode: "ranked", unreadCount }, "Not found · edgefeed"), 404);
    const comments = await topLevelComments((await readDb(c)), viewerId, post.id, "", FIRST_PAGE, threshold);
    const withReplies = comments.comments.filter((comment) => comment.replyCount > 0).map((comment) => comment.id);
    const replies = Object.fromEntries(await firstReplies((await readDb(c)), viewerId, withReplies, REPLIES_SHOWN, threshold));
    const feed: FeedResponse = { posts: [post], pagination: { nextCursor: null, hasMore: false, newestCursor: null } };
    const boot: BootState = { page: "post", viewer: user, now: Date.now(), mode: "latest", feed, thread: { comments, replies }, unreadCount };
    return html(c, renderDocument(boot, postTitle(post), postMeta(post, new URL(`/post/${post.id}`, c.req.url).href)));
  })
  .get("/profile/:username/:kind{followers|following}", async (c) => {
    const viewer = await readSession(c);
    if (!viewer) return c.redirect("/login", 302);
    const threshold = readConfig(c.env).celebrityThreshold;
    const kind = c.req.param("kind") as "followers" | "following";
    const [owner, user] = await Promise.all([findUserVisibleTo((await readDb(c)), viewer.id, { username: c.req.param("username") }), me(c, viewer)]);
    if (!owner) return missing(c, user);
    const [profile, list] = await Promise.all([
      loadProfile((await readDb(c)), viewer.id, owner, threshold),
      followListPage((await readDb(c)), viewer.id, owner.id, kind, null, LIST_PAGE, threshold),
    ]);
    const boot: BootState = { page: "people", viewer: user, now: Date.now(), mode: "latest", people: { kind, user: profile, list } };
    return html(c, renderDocument(boot, `${kind === "followers" ? "Followers" : "Following"} · @${profile.username} · edgefeed`));
  })
  .get("/settings", async (c) => {
    const viewer = await readSession(c);
    if (!viewer) return c.redirect("/login", 302);
    const threshold = readConfig(c.env).celebrityThreshold;
    const [user, blocks, mutes] = await Promise.all([
      me(c, viewer),
      relationListPage((await readDb(c)), viewer.id, "blocks", null, 50, threshold),
      relationListPage((await readDb(c)), viewer.id, "mutes", null, 50, threshold),
    ]);
    const boot: BootState = { page: "settings", viewer: user, now: Date.now(), mode: "latest", settings: { blocks, mutes } };
    return html(c, renderDocument(boot, "Settings · edgefeed"));
  })
  .get("/login", (c) => authPage(c, "login"))
  .get("/signup", (c) => authPage(c, "signup"));

async function authPage(c: Context<AppEnv>, page: "login" | "signup") {
  if (await readSession(c)) return c.redirect("/", 302);
  return renderAuthPage(c, page);
}

/** The sign-in or sign-up page, with the error of a form post that failed (see auth-forms.ts). */
export function renderAuthPage(c: Context<AppEnv>, page: "login" | "signup", failed?: { status: ContentfulStatusCode; code: string; message: string }) {
  const boot: BootState = { page, viewer: null, now: Date.now(), mode: "ranked", ...(failed && { authError: { code: failed.code, message: failed.message } }) };
  return html(c, renderDocument(boot, page === "login" ? "Sign in · edgefeed" : "Sign up · edgefeed"), failed?.status ?? 200);
}
