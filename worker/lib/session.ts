/**
 * Cookie sessions: a random 256-bit token in an HttpOnly, SameSite=Lax cookie (Secure outside
 * localhost); D1 stores only its SHA-256, so a leaked database cannot be replayed as cookies.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors";
import type { AppEnv, Viewer } from "../types";
import { newSessionToken, sha256Hex } from "./crypto";

export const SESSION_COOKIE = "ef_session";
const SESSION_TTL_MS = 30 * 86_400_000;

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
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: !isLocalhost(c.req.url),
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export async function endSession(c: Context<AppEnv>): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await c.env.DB.prepare("DELETE FROM sessions WHERE token_hash = ?").bind(await sha256Hex(token)).run();
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: !isLocalhost(c.req.url) });
}

/** The viewer behind the request's cookie, or null. Never trusts a user id sent by the client. */
export async function readSession(c: Context<AppEnv>): Promise<Viewer | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token || token.length > 100) return null;
  const row = await c.env.DB.prepare(
    "SELECT u.id, u.username FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?",
  )
    .bind(await sha256Hex(token), Date.now())
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
