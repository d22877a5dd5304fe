/**
 * This user's sessions as the UserFeed knows them, so a feed read is checked here, next to the
 * timeline, instead of by a D1 lookup before the object is even called (worker/lib/session.ts).
 *
 * D1 stays the record: a token hash this object has not seen is looked up there once (for this
 * user id only) and then remembered until the session expires. Log-out goes through this object
 * (revoke): it forgets the hash, remembers it as revoked (so a lookup already in flight cannot
 * bring it back) and deletes the D1 row.
 */
import { SESSION_TTL_MS } from "../../worker/lib/session";

export const SESSION_SCHEMA = `
  CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX sessions_expiry ON sessions (expires_at);
`;

export class SessionCache {
  constructor(
    private readonly sql: SqlStorage,
    private readonly db: D1Database,
  ) {}

  async isValid(userId: string, tokenHash: string, now = Date.now()): Promise<boolean> {
    const known = this.sql.exec<{ expires_at: number; revoked: number }>("SELECT expires_at, revoked FROM sessions WHERE token_hash = ?", tokenHash).toArray()[0];
    if (known) return known.revoked === 0 && known.expires_at > now;
    const expiresAt = await this.db
      .prepare("SELECT expires_at FROM sessions WHERE token_hash = ? AND user_id = ? AND expires_at > ?")
      .bind(tokenHash, userId, now)
      .first<number>("expires_at");
    if (expiresAt === null) return false;
    // INSERT OR IGNORE: a revoke that ran while D1 answered wins.
    this.sql.exec("INSERT OR IGNORE INTO sessions (token_hash, expires_at) VALUES (?, ?)", tokenHash, expiresAt);
    return this.isValid(userId, tokenHash, now);
  }

  async revoke(userId: string, tokenHash: string, now = Date.now()): Promise<void> {
    // Remembered as revoked for as long as the session could have lived (the longest TTL).
    this.sql.exec(
      "INSERT INTO sessions (token_hash, expires_at, revoked) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET revoked = 1",
      tokenHash,
      now + SESSION_TTL_MS,
    );
    await this.db.prepare("DELETE FROM sessions WHERE token_hash = ? AND user_id = ?").bind(tokenHash, userId).run();
  }

  /** Swept by the object's alarm whenever it runs for other work (rows are tiny). */
  expire(now: number): void {
    this.sql.exec("DELETE FROM sessions WHERE expires_at <= ?", now);
  }

  count(now: number): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sessions WHERE revoked = 0 AND expires_at > ?", now).one().n;
  }
}
