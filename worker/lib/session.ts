/**
 * Cookie sessions: a random 256-bit token in an HttpOnly, SameSite=Lax cookie (Secure outside
 * localhost); D1 stores only its SHA-256, so a leaked database cannot be replayed as cookies.
 * The cookie also carries the user id, signed (lib/session-cookie.ts), so feed reads can let the
 * viewer's UserFeed check the token (sessionClaim) instead of looking it up in D1 first.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors";
import type { AppEnv, Viewer } from "../types";
import { newSessionToken, sha256Hex } from "./crypto";
import { openSessionCookie, signSessionCookie } from "./session-cookie";

export const SESSION_COOKIE = "ef_session";
export const SESSION_TTL_MS = 30 * 86_400_000;
/** Set by the ws route on the upgrade it hands to the UserFeed: the hash of the socket's session token. */
export const SOCKET_SESSION_HEADER = "x-edgefeed-socket-session";

function isLocalhost(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
}

export async function startSession(c: Context<AppEnv>, userId: string): Promise<void> {
  const token = newSessionToken();
  const now = Date.now();
  await c.env.DB.prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
    .bind(await sha256Hex(token), userId, now, now + SESSION_TTL_MS)
    .run();
  setCookie(c, SESSION_COOKIE, await signSessionCookie(c.env.DB, userId, token), {
    httpOnly: true,
    sameSite: "Lax",
    secure: !isLocalhost(c.req.url),
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

/** Who the cookie claims to be, with its token's hash: not yet checked against any session. */
export interface SessionClaim {
  userId: string;
  tokenHash: string;
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
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: !isLocalhost(c.req.url) });
}

/** The viewer behind the request's cookie, or null. Never trusts a user id sent by the client. */
export async function readSession(c: Context<AppEnv>): Promise<Viewer | null> {
  const claim = await sessionClaim(c);
  if (!claim) return null;
  const row = await c.env.DB.prepare(
    "SELECT u.id, u.username FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.user_id = ? AND s.expires_at > ?",
  )
    .bind(claim.tokenHash, claim.userId, Date.now())
    .first<Viewer>();
  return row ?? null;
}

export const requireSession = createMiddleware<AppEnv>(async function requireSession(c, next) {
  const viewer = await readSession(c);
  if (!viewer) throw new ApiError(401, "UNAUTHENTICATED", "Sign in to continue.");
  c.set("viewer", viewer);
  await next();
});

export function viewerOf(c: Context<AppEnv>): Viewer {
  const viewer = c.get("viewer");
  if (!viewer) throw new ApiError(401, "UNAUTHENTICATED", "Sign in to continue.");
  return viewer;
}
