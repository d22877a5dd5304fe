/**
 * Who, right now, wants live news of this user's posts (this object acting as an author):
 * - watchers: viewers with one of this author's posts on screen (`watch_posts`, or the newest of
 *   their home feed when they connect): they get `engagement_update` and `post_update`;
 * - subscribers: viewers with this author's profile open (`subscribe_feed`): they get `new_post`.
 * Both are leases with an expiry that the viewer renews; a push that finds no open socket on the
 * viewer's side drops the lease at once, so stale entries cost at most one push.
 */
export const WATCH_TTL_MS = 30 * 60_000;
export const SUBSCRIBE_TTL_MS = 60 * 60_000;
/** Leases one viewer may hold at one author: two screens' worth of watch_posts (200 each). */
export const WATCHES_PER_VIEWER = 400;

export const AUDIENCE_SCHEMA = `
  CREATE TABLE watchers (post_id TEXT NOT NULL, user_id TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (post_id, user_id));
  CREATE INDEX watchers_expiry ON watchers (expires_at);
  CREATE TABLE subscribers (user_id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
`;

export class Audience {
  constructor(private readonly sql: SqlStorage) {}

  watch(userId: string, postIds: readonly string[], now: number): void {
    for (const postId of postIds) {
      // A lease is renewed only once half spent, so a viewer repeating the same watch costs reads, not writes.
      this.sql.exec(
        `INSERT INTO watchers (post_id, user_id, expires_at) VALUES (?, ?, ?)
         ON CONFLICT DO UPDATE SET expires_at = excluded.expires_at WHERE expires_at < excluded.expires_at - ?`,
        postId,
        userId,
        now + WATCH_TTL_MS,
        WATCH_TTL_MS / 2,
      );
    }
    // One viewer holds at most WATCHES_PER_VIEWER leases here (the newest): storage stays bounded whatever it sends.
    this.sql.exec(
      `DELETE FROM watchers WHERE user_id = ?1 AND post_id NOT IN (
         SELECT post_id FROM watchers WHERE user_id = ?1 ORDER BY expires_at DESC, post_id DESC LIMIT ?2)`,
      userId,
      WATCHES_PER_VIEWER,
    );
  }

  watchersOf(postId: string, now: number): string[] {
    return this.sql
      .exec<{ user_id: string }>("SELECT user_id FROM watchers WHERE post_id = ? AND expires_at > ?", postId, now)
      .toArray()
      .map((r) => r.user_id);
  }

  dropWatcher(userId: string, postId?: string): void {
    if (postId) this.sql.exec("DELETE FROM watchers WHERE user_id = ? AND post_id = ?", userId, postId);
    else this.sql.exec("DELETE FROM watchers WHERE user_id = ?", userId);
  }

  dropPost(postId: string): void {
    this.sql.exec("DELETE FROM watchers WHERE post_id = ?", postId);
  }

  subscribe(userId: string, now: number): void {
    this.sql.exec(
      "INSERT INTO subscribers (user_id, expires_at) VALUES (?, ?) ON CONFLICT DO UPDATE SET expires_at = excluded.expires_at",
      userId,
      now + SUBSCRIBE_TTL_MS,
    );
  }

  unsubscribe(userId: string): void {
    this.sql.exec("DELETE FROM subscribers WHERE user_id = ?", userId);
  }

  subscribers(now: number): string[] {
    return this.sql
      .exec<{ user_id: string }>("SELECT user_id FROM subscribers WHERE expires_at > ?", now)
      .toArray()
      .map((r) => r.user_id);
  }

  /** The posts each of `userIds` watches here (the erasure takes them off those screens). */
  watchedBy(userIds: readonly string[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const rows = this.sql
      .exec<{ user_id: string; post_id: string }>("SELECT user_id, post_id FROM watchers WHERE user_id IN (SELECT value FROM json_each(?))", JSON.stringify(userIds))
      .toArray();
    for (const row of rows) out.set(row.user_id, [...(out.get(row.user_id) ?? []), row.post_id]);
    return out;
  }

  /** Everyone holding a lease here, watcher or subscriber. */
  everyone(): string[] {
    return this.sql
      .exec<{ user_id: string }>("SELECT user_id FROM watchers UNION SELECT user_id FROM subscribers")
      .toArray()
      .map((r) => r.user_id);
  }

  expire(now: number): void {
    this.sql.exec("DELETE FROM watchers WHERE expires_at <= ?", now);
    this.sql.exec("DELETE FROM subscribers WHERE expires_at <= ?", now);
  }

  summary(now: number) {
    return {
      watchers: this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM watchers WHERE expires_at > ?", now).one().n,
      subscribers: this.subscribers(now),
    };
  }
}
