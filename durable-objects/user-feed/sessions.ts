/**
 * This user's sessions as the UserFeed knows them, so a feed read is checked here, next to the
 * timeline, instead of by a D1 lookup before the object is even called (worker/lib/session.ts).
 *
 * D1 stays the record. A token hash this object has not seen is looked up there (for this user id
 * only) and remembered; the memory is trusted for SESSION_TRUST_MS, then asked of D1 again, so a
 * session that ends in D1 behind the object's back (expiry moved, an operator's revocation) stops
 * working here within that window. Log-out goes through this object (revoke): it remembers the
 * hash as revoked (so a lookup already in flight cannot bring it back) and deletes the D1 row.
 */
import { deleteSession, SESSION_TTL_MS, sessionExpiry } from "../../core/sessions";
import type { D1Access } from "./d1-access";

export const SESSION_SCHEMA = `
  CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX sessions_expiry ON sessions (expires_at);
`;
/** Storage migration: when each remembered session was last confirmed by D1 (0: never, ask now). */
export const SESSION_CHECKED_AT = "ALTER TABLE sessions ADD COLUMN checked_at INTEGER NOT NULL DEFAULT 0;";

/** How long a session confirmed by D1 is trusted without asking again. */
export const SESSION_TRUST_MS = 60_000;

type Known = {
  expires_at: number;
  revoked: number;
  checked_at: number;
};

export class SessionCache {
  /**
   * Bumped by revokeAllExcept: a D1 answer that was asked for before it may predate the deletes
   * it stands for (a session this object had not seen yet), so it is asked again.
   */
  private epoch = 0;

  constructor(
    private readonly sql: SqlStorage,
    private readonly d1: D1Access,
  ) {}

  async isValid(userId: string, tokenHash: string, now = Date.now()): Promise<boolean> {
    const known = this.known(tokenHash);
    if (known && (known.revoked === 1 || known.expires_at <= now)) return false;
    if (known && now - known.checked_at < SESSION_TRUST_MS) return true;
    const epoch = this.epoch;
    const expiresAt = await this.lookUp(tokenHash, userId, now);
    if (epoch !== this.epoch) return this.isValid(userId, tokenHash, now);
    if (expiresAt === null) {
      // Remembered as ended, so neither a read nor the alarm asks D1 about it again.
      this.markRevoked(tokenHash, now);
      return false;
    }
    // A revoke that ran while D1 answered wins (revoked stays 1).
    this.sql.exec(
      `INSERT INTO sessions (token_hash, expires_at, checked_at) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET expires_at = excluded.expires_at, checked_at = excluded.checked_at`,
      tokenHash,
      expiresAt,
      now,
    );
    return this.known(tokenHash)?.revoked === 0;
  }

  async revoke(userId: string, tokenHash: string, now = Date.now()): Promise<void> {
    this.markRevoked(tokenHash, now);
    await this.d1.writing((db) => deleteSession(db, tokenHash, userId));
  }

  /**
   * After D1 deleted every session of the user but `keep` (a password change; all of them when
   * null: sign out everywhere, account deletion): the ones remembered here are revoked too, and
   * lookups in flight ask D1 again (epoch), so none of them is trusted for another minute.
   */
  revokeAllExcept(keep: string | null, now = Date.now()): void {
    this.epoch++;
    this.sql.exec("UPDATE sessions SET revoked = 1, expires_at = MAX(expires_at, ?) WHERE token_hash IS NOT ?", now + SESSION_TTL_MS, keep);
  }

  /**
   * When the trust in one of `tokenHashes` runs out (the object's alarm re-checks its sockets'
   * sessions then): now for one never checked, never for one already ended (its sockets were
   * closed when it ended; a socket that is slow to finish closing must not make the alarm spin).
   */
  nextCheckAt(tokenHashes: readonly string[], now = Date.now()): number | null {
    let next: number | null = null;
    for (const hash of tokenHashes) {
      const known = this.known(hash);
      if (known && (known.revoked === 1 || known.expires_at <= now)) continue;
      const at = known ? Math.min(known.checked_at + SESSION_TRUST_MS, known.expires_at) : now;
      next = next === null ? at : Math.min(next, at);
    }
    return next;
  }

  /** Swept by the object's alarm whenever it runs for other work (rows are tiny). */
  expire(now: number): void {
    this.sql.exec("DELETE FROM sessions WHERE expires_at <= ?", now);
  }

  count(now: number): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sessions WHERE revoked = 0 AND expires_at > ?", now).one().n;
  }

  /**
   * The session's expiry in D1: first from a replica (this user's bookmark), and on a miss from
   * the primary. A session is written by the worker at sign-in, not by this object, so a replica
   * may not have it yet; asking the primary only on a miss keeps the usual check near the reader
   * and never turns a new session away. (An ended one costs a primary read once: it is then
   * remembered as revoked.)
   */
  private async lookUp(tokenHash: string, userId: string, now: number): Promise<number | null> {
    const near = await this.d1.reading((db) => sessionExpiry(db, tokenHash, userId, now));
    return near ?? (await this.d1.writing((db) => sessionExpiry(db, tokenHash, userId, now)));
  }

  private known(tokenHash: string): Known | undefined {
    return this.sql.exec<Known>("SELECT expires_at, revoked, checked_at FROM sessions WHERE token_hash = ?", tokenHash).toArray()[0];
  }

  private markRevoked(tokenHash: string, now: number): void {
    // Remembered as revoked for as long as the session could have lived (the longest TTL).
    this.sql.exec(
      "INSERT INTO sessions (token_hash, expires_at, revoked) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET revoked = 1, expires_at = MAX(expires_at, excluded.expires_at)",
      tokenHash,
      now + SESSION_TTL_MS,
    );
  }
}
