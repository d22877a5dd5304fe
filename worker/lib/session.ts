/**
 * Cookie sessions: a random 256-bit token in an HttpOnly, SameSite=Lax cookie (Secure outside
 * localhost); D1 stores only its SHA-256, so a leaked database cannot be replayed as cookies.
 * The cookie also carries the user id, signed (lib/session-cookie.ts), so feed reads can let the
 * viewer's UserFeed check the token (sessionClaim) instead of looking it up in D1 first.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { insertSession, SESSION_TTL_MS, sessionUser } from "../../core/sessions";
import { ApiError } from "../../core/errors";
import type { AppEnv, SessionClaim, Viewer } from "../types";
export type { SessionClaim };
import { newSessionToken, sha256Hex } from "./crypto";
import { openSessionCookie, signSessionCookie } from "./session-cookie";
import { BOOKMARK_COOKIE, readDb, rememberBookmark, writeDb } from "./d1";

export const SESSION_COOKIE = "ef_session";
export { SESSION_TTL_MS, SOCKET_SESSION_HEADER } from "../../core/sessions";

function isLocalhost(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
}

export async function startSession(c: Context<AppEnv>, userId: string): Promise<void> {
  const token = newSessionToken();
  const now = Date.now();
  const db = writeDb(c);
  await insertSession(db, await sha256Hex(token), userId, now);
  setCookie(c, SESSION_COOKIE, await signSessionCookie(c.env.DB, userId, token), {
    httpOnly: true,
    sameSite: "Lax",
    secure: !isLocalhost(c.req.url),
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
  // The sign-in's (or sign-up's) write: this browser's next reads see the new session and account.
  // (After the session cookie: clients that read the first Set-Cookie get the session.)
  await rememberBookmark(c, db.getBookmark());
}

export async function sessionClaim(c: Context<AppEnv>): Promise<SessionClaim | null> {
  const value = getCookie(c, SESSION_COOKIE);
  if (!value || value.length > 200) return null;
  const opened = await openSessionCookie(c.env.DB, value);
  return opened && { userId: opened.userId, tokenHash: await sha256Hex(opened.token) };
}

/** Revokes the session (in D1 and in the user's UserFeed, which caches it) and clears the cookie. */
export async function endSession(c: Context<AppEnv>): Promise<void> {
  const claim = await sessionClaim(c);
  if (claim) await c.env.USER_FEED.getByName(claim.userId).endSession(claim.tokenHash);
  clearSessionCookie(c);
}

/** The cookie only (the session itself was ended elsewhere: sign out everywhere, account deletion). */
export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: !isLocalhost(c.req.url) });
  // The bookmark of the last write goes with the session (a next user of the browser starts afresh).
  deleteCookie(c, BOOKMARK_COOKIE, { path: "/", secure: !isLocalhost(c.req.url) });
}

/** The viewer behind the request's cookie, or null. Never trusts a user id sent by the client. */
export async function readSession(c: Context<AppEnv>): Promise<Viewer | null> {
  const claim = await sessionClaim(c);
  if (!claim) return null;
  c.set("claim", claim); // a mutation behind requireSession hands the same token to the object (lib/mutate.ts)
  // A read: near the reader first; a session written moments ago may not be on that replica yet,
  // so a miss asks the primary (a forged cookie never gets here: its MAC fails without I/O).
  // Anything that changes state asks the primary only: a replica that lags a log-out or a
  // password change must not let the ended session act meanwhile.
  const now = Date.now();
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return sessionUser(writeDb(c), claim.tokenHash, claim.userId, now);
  return (await sessionUser(await readDb(c), claim.tokenHash, claim.userId, now)) ?? sessionUser(writeDb(c), claim.tokenHash, claim.userId, now);
}

export const requireSession = createMiddleware<AppEnv>(async function requireSession(c, next) {
  const viewer = await readSession(c);
  if (!viewer) throw new ApiError(401, "UNAUTHENTICATED", "Sign in to continue.");
  c.set("viewer", viewer);
  await next();
});

/**
 * A well-formed, signed session cookie, without a D1 lookup: for reads whose object checks the
 * session itself (the feed, notifications), so such a read costs one object call.
 */
export const requireClaim = createMiddleware<AppEnv>(async function requireClaim(c, next) {
  const claim = await sessionClaim(c);
  if (!claim) throw new ApiError(401, "UNAUTHENTICATED", "Sign in to continue.");
  c.set("claim", claim);
  await next();
});

/**
 * The routes that read and write: a read checks the session in D1 here (it reads D1 anyway); a
 * mutation needs only the signed cookie, because the viewer's UserFeed checks the session before
 * it runs the op (user-feed/sessions.ts, trusted 60 s), so a mutation's only D1 round trip is
 * its own batch (lib/mutate.ts).
 */
export const requireViewer = createMiddleware<AppEnv>(async function requireViewer(c, next) {
  if (c.req.method === "GET" || c.req.method === "HEAD") return requireSession(c, next);
  return requireClaim(c, next);
});

export function viewerOf(c: Context<AppEnv>): Viewer {
  const viewer = c.get("viewer");
  if (!viewer) throw new ApiError(401, "UNAUTHENTICATED", "Sign in to continue.");
  return viewer;
}
