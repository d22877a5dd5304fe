/**
 * Sessions in D1, the record (worker/lib/session.ts issues the cookie; the viewer's UserFeed caches
 * what it learns here, durable-objects/user-feed/sessions.ts). D1 stores only the token's SHA-256.
 */
import type { Db } from "./d1";
export const SESSION_TTL_MS = 30 * 86_400_000;

/** Set by the ws route on the upgrade it hands to the UserFeed: the hash of the socket's session token. */
export const SOCKET_SESSION_HEADER = "x-edgefeed-socket-session";

/** SQL: session row `s` is live for user `user` at `now` (parameters or columns): the one definition. */
export const liveSessionSql = (tokenHash: string, user: string, now: string) => `(s.token_hash = ${tokenHash} AND s.user_id = ${user} AND s.expires_at > ${now})`;

/** SQL: the user id of that live session, or NULL (a scalar subquery: a statement can take its viewer from the cookie). */
export const sessionViewerSql = (tokenHash: string, user: string, now: string) => `(SELECT s.user_id FROM sessions s WHERE ${liveSessionSql(tokenHash, user, now)})`;

export async function insertSession(db: Db, tokenHash: string, userId: string, now: number): Promise<void> {
  await db.prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)").bind(tokenHash, userId, now, now + SESSION_TTL_MS).run();
}

/** The session's expiry if it is live for this user, else null. */
export async function sessionExpiry(db: Db, tokenHash: string, userId: string, now: number): Promise<number | null> {
  return db
    .prepare(`SELECT s.expires_at FROM sessions s WHERE ${liveSessionSql("?1", "?2", "?3")}`)
    .bind(tokenHash, userId, now)
    .first<number>("expires_at");
}

export async function deleteSession(db: Db, tokenHash: string, userId: string): Promise<void> {
  await db.prepare("DELETE FROM sessions WHERE token_hash = ? AND user_id = ?").bind(tokenHash, userId).run();
}

/** The live session's user (id and username), or null. */
export async function sessionUser(db: Db, tokenHash: string, userId: string, now: number): Promise<{ id: string; username: string } | null> {
  return db
    .prepare(`SELECT u.id, u.username FROM sessions s JOIN users u ON u.id = s.user_id WHERE ${liveSessionSql("?1", "?2", "?3")} AND u.deleted_at IS NULL`)
    .bind(tokenHash, userId, now)
    .first<{ id: string; username: string }>();
}
