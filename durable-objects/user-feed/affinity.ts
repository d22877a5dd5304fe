/**
 * The viewer's affinity to authors, kept where it is made: every like, unlike, comment and comment
 * delete of this user runs in this object (user-feed/mutations.ts), so the count per author
 * (core/feed/ranking.ts: the viewer's likes and comments on that author's posts) moves here with
 * the mutation that changed D1, and a ranked page binds it instead of counting in D1 each time.
 *
 * D1 stays the record. The counts are rebuilt from it when the object has none (a new object, an
 * account older than this table, storage wiped) and whenever the hourly activity write goes to D1
 * (UserFeed.noteActivity, same round trip), which also corrects what other users' actions changed
 * behind this object's back: a post deleted by its author takes the viewer's likes on it along, a
 * post's author may delete the viewer's comment. Between rebuilds such a count is at most an hour
 * stale, and only ever too high by what others deleted.
 */
import { AFFINITY_AUTHORS_PER_PAGE } from "../../core/feed/ranking";
import type { MetaStore } from "../migrations";

export const AFFINITY_SCHEMA = `
  CREATE TABLE affinity (author_id TEXT PRIMARY KEY, n INTEGER NOT NULL);
  CREATE INDEX affinity_by_count ON affinity (n DESC, author_id);
`;

const BUILT_AT_KEY = "affinityBuiltAt";

export class AffinityStore {
  /**
   * Bumped by each local change: a rebuild whose D1 read started before a change (a like that
   * landed while D1 answered) is not applied, and the next read rebuilds again.
   */
  private generation = 0;

  constructor(
    private readonly sql: SqlStorage,
    private readonly meta: MetaStore,
  ) {}

  /** When the counts were last rebuilt from D1; null: never (they must be before a ranked page). */
  get builtAt(): number | null {
    const at = this.meta.get(BUILT_AT_KEY);
    return at === null ? null : Number(at);
  }

  /** A like (+1), unlike (-1), comment (+1) or deleted comments (-n) of this user on `authorId`'s posts. */
  add(authorId: string, delta: number): void {
    if (delta === 0) return;
    this.generation++;
    this.sql.exec(
      "INSERT INTO affinity (author_id, n) VALUES (?1, MAX(0, ?2)) ON CONFLICT DO UPDATE SET n = MAX(0, n + ?2)",
      authorId,
      delta,
    );
    this.sql.exec("DELETE FROM affinity WHERE author_id = ? AND n <= 0", authorId);
  }

  /** A token to hand back to `replace`: the counts as they are when a rebuild's D1 read starts. */
  startRebuild(): number {
    return this.generation;
  }

  /** The counts D1 gave, unless a local change happened since `token` (then false: rebuild later). */
  replace(rows: readonly { author_id: string; n: number }[], token: number, now: number): boolean {
    if (token !== this.generation) return false;
    this.sql.exec("DELETE FROM affinity");
    for (const row of rows) if (row.n > 0) this.sql.exec("INSERT INTO affinity (author_id, n) VALUES (?, ?)", row.author_id, row.n);
    this.meta.set(BUILT_AT_KEY, now);
    return true;
  }

  /** The top authors' counts as one JSON object `{authorId: n}`, the ranked page's ?9. */
  forPage(viewerId: string): string {
    const rows = this.sql
      .exec<{ author_id: string; n: number }>(
        "SELECT author_id, n FROM affinity WHERE author_id != ? ORDER BY n DESC, author_id LIMIT ?",
        viewerId,
        AFFINITY_AUTHORS_PER_PAGE,
      )
      .toArray();
    return JSON.stringify(Object.fromEntries(rows.map((r) => [r.author_id, r.n])));
  }

  /** For operators and tests: every count, most first. */
  all(): Record<string, number> {
    const rows = this.sql.exec<{ author_id: string; n: number }>("SELECT author_id, n FROM affinity ORDER BY n DESC, author_id").toArray();
    return Object.fromEntries(rows.map((r) => [r.author_id, r.n]));
  }
}
