/**
 * The worker's D1 sessions (core/d1.ts), one of each per request at most.
 *
 * Reads (profiles, posts, comments, search, lists, the edge-rendered pages, media checks) start
 * from the reader's own last write when the request carries it, else unconstrained (the nearest
 * replica). The bookmark comes from the `ef_bm` cookie, set on every mutation's response from the
 * bookmark the viewer's UserFeed holds (its last write, or a newer delivered post's) and on sign-in.
 * So a reader sees their own comment, follow, edit or upload on the next page, at no round trip:
 * the cookie rides along. Others' writes show when the replica has them (seconds at most), which
 * is what a social feed may show; a post delivered to the reader's timeline is read by their
 * object from its own, fresher bookmark (durable-objects/user-feed/d1-access.ts).
 *
 * The cookie is signed (the session cookie's key, lib/session-cookie.ts): a client cannot make D1
 * wait for a bookmark it invented. A missing, old, malformed or forged cookie only means "any
 * replica". Writes, sign-in checks and operators' reads use the primary (writeDb).
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { isBookmark, readSession, writeSession, type Session } from "../../core/d1";
import type { AppEnv } from "../types";
import { toBase64 } from "./crypto";
import { macKey } from "./session-cookie";

export const BOOKMARK_COOKIE = "ef_bm";

const MAC = /^[A-Za-z0-9_-]{43}$/;
const base64url = (bytes: Uint8Array) => toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
// Distinct from the session cookie's `<id>.<token>` and the login-device messages.
const message = (bookmark: string) => new TextEncoder().encode(`d1-bookmark\0${bookmark}`);

/** The reader's bookmark from the request's cookie, when it is one we signed; else null. */
export async function requestBookmark(c: Context<AppEnv>): Promise<string | null> {
  const value = getCookie(c, BOOKMARK_COOKIE);
  if (!value || value.length > 200) return null;
  const [bookmark, mac, extra] = value.split(".");
  if (extra !== undefined || !isBookmark(bookmark) || !MAC.test(mac ?? "")) return null;
  const ok = await crypto.subtle.verify("HMAC", await macKey(c.env.DB), fromBase64url(mac), message(bookmark));
  return ok ? bookmark : null;
}

/** Sets the reader's bookmark cookie (after a write). Not HttpOnly-sensitive, but HttpOnly anyway: scripts never need it. */
export async function rememberBookmark(c: Context<AppEnv>, bookmark: string | null | undefined): Promise<void> {
  if (!isBookmark(bookmark)) return;
  const mac = await crypto.subtle.sign("HMAC", await macKey(c.env.DB), message(bookmark));
  const host = new URL(c.req.url).hostname;
  const secure = !(host === "localhost" || host === "127.0.0.1" || host === "[::1]");
  setCookie(c, BOOKMARK_COOKIE, `${bookmark}.${base64url(new Uint8Array(mac))}`, { httpOnly: true, sameSite: "Lax", secure, path: "/" });
}

/** The request's read session: from the reader's bookmark, else unconstrained. Opened once per request. */
export async function readDb(c: Context<AppEnv>): Promise<Session> {
  const open = c.get("readDb");
  if (open) return open;
  const session = readSession(c.env.DB, await requestBookmark(c));
  c.set("readDb", session);
  return session;
}

/** The request's primary session: writes, and the reads that must see the newest state. */
export function writeDb(c: Context<AppEnv>): Session {
  const open = c.get("writeDb");
  if (open) return open;
  const session = writeSession(c.env.DB);
  c.set("writeDb", session);
  return session;
}
