/**
 * A user's timeline: the ids of posts pushed into the home feed, newest kept, capped.
 *
 * Invariants:
 * - `post_id` is unique: a delivery retried any number of times lands once.
 * - Complete above the horizon: every pushed post with id >= `horizon` is here (or was removed on
 *   purpose: unfollow, delete). Below it, readers fall back to D1. Horizon "0" means complete.
 * - `seq` grows with every insert; `newestCursor` carries it, and `reloadBelowSeq` is the highest
 *   seq ever dropped by trimming or a rebuild, so a catch-up older than that must reload.
 */
import type { TimelineEntry } from "../../core/feed/timeline-sources";
import { MetaStore } from "../migrations";

export const ZERO_HORIZON = "0";
/** Trim only when this far over the cap, so trimming is a rare batch, not a per-insert delete. */
const TRIM_SLACK = 50;


export const TIMELINE_SCHEMA = `
  CREATE TABLE timeline (post_id TEXT PRIMARY KEY, author_id TEXT NOT NULL, seq INTEGER NOT NULL);
  CREATE INDEX timeline_seq ON timeline (seq);
  CREATE INDEX timeline_author ON timeline (author_id);
`;

export type { TimelineEntry };

export class Timeline {
  private readonly meta: MetaStore;

  constructor(
    private readonly sql: SqlStorage,
    private readonly cap: number,
  ) {
    this.meta = new MetaStore(sql);
  }

  get horizon(): string {
    return this.meta.get("horizon") ?? ZERO_HORIZON;
  }

  get size(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM timeline").one().n;
  }

  get newestSeq(): number {
    return this.meta.getNumber("seq", 0);
  }

  get reloadBelowSeq(): number {
    return this.meta.getNumber("reloadBelowSeq", 0);
  }

  /** Inserts what is new; returns the entries actually added (for live pushes). */
  insert(entries: readonly TimelineEntry[]): TimelineEntry[] {
    const horizon = this.horizon;
    let seq = this.newestSeq;
    const added: TimelineEntry[] = [];
    for (const entry of entries) {
      // Below the horizon D1 serves the post already; inserting it would only be trimmed again.
      if (horizon !== ZERO_HORIZON && entry.postId < horizon) continue;
      const cursor = this.sql.exec(
        "INSERT INTO timeline (post_id, author_id, seq) VALUES (?, ?, ?) ON CONFLICT (post_id) DO NOTHING",
        entry.postId,
        entry.authorId,
        seq + 1,
      );
      if (cursor.rowsWritten > 0) {
        seq += 1;
        added.push(entry);
      }
    }
    if (added.length > 0) this.meta.set("seq", seq);
    this.trim();
    return added;
  }

  has(postId: string): boolean {
    return this.sql.exec("SELECT 1 FROM timeline WHERE post_id = ?", postId).toArray().length > 0;
  }

  remove(postIds: readonly string[]): number {
    let removed = 0;
    for (const id of postIds) removed += this.sql.exec("DELETE FROM timeline WHERE post_id = ?", id).rowsWritten;
    return removed;
  }

  /** Removes an author's entries; returns their post ids (to take them off screens too). */
  removeAuthor(authorId: string): string[] {
    return this.sql
      .exec<{ post_id: string }>("DELETE FROM timeline WHERE author_id = ? RETURNING post_id", authorId)
      .toArray()
      .map((r) => r.post_id);
  }

  /** Replaces everything (a rebuild from D1): catch-ups from before it must reload. */
  replace(entries: readonly TimelineEntry[], complete: boolean): void {
    this.sql.exec("DELETE FROM timeline");
    // The rebuild takes a seq of its own: cursors from before it (s < marker) must reload, cursors
    // issued after it (s >= marker) must not, even when the rebuild inserts nothing.
    const marker = this.newestSeq + 1;
    this.meta.set("reloadBelowSeq", marker);
    this.meta.set("seq", marker);
    this.meta.set("horizon", ZERO_HORIZON);
    this.insert(entries);
    if (!complete && entries.length > 0) this.raiseHorizon(entries.reduce((min, e) => (e.postId < min ? e.postId : min), entries[0].postId));
  }

  /** Declares the timeline complete only from `id` up (older posts then come from D1). */
  raiseHorizon(id: string): void {
    if (id > this.horizon) this.meta.set("horizon", id);
  }

  private trim(): void {
    const excess = this.size - this.cap;
    if (excess <= TRIM_SLACK) return;
    const dropped = this.sql
      .exec<{ seq: number }>(
        "DELETE FROM timeline WHERE post_id IN (SELECT post_id FROM timeline ORDER BY post_id ASC LIMIT ?) RETURNING seq",
        excess,
      )
      .toArray();
    const maxDropped = dropped.reduce((max, r) => Math.max(max, r.seq), 0);
    if (maxDropped > this.reloadBelowSeq) this.meta.set("reloadBelowSeq", maxDropped);
    const oldest = this.sql.exec<{ id: string | null }>("SELECT MIN(post_id) AS id FROM timeline").one().id;
    if (oldest) this.raiseHorizon(oldest);
  }

  /** Newest entries with id < `before`, at most `limit`. */
  page(before: string | null, limit: number): string[] {
    const rows = before
      ? this.sql.exec<{ post_id: string }>("SELECT post_id FROM timeline WHERE post_id < ? ORDER BY post_id DESC LIMIT ?", before, limit)
      : this.sql.exec<{ post_id: string }>("SELECT post_id FROM timeline ORDER BY post_id DESC LIMIT ?", limit);
    return rows.toArray().map((r) => r.post_id);
  }

  /** Entries that arrived after `seq`, newest first, at most `limit`. */
  since(seq: number, limit: number): string[] {
    return this.sql
      .exec<{ post_id: string }>("SELECT post_id FROM timeline WHERE seq > ? ORDER BY seq DESC LIMIT ?", seq, limit)
      .toArray()
      .map((r) => r.post_id);
  }

  newest(limit: number): { postId: string; authorId: string; seq: number }[] {
    return this.sql
      .exec<{ post_id: string; author_id: string; seq: number }>("SELECT post_id, author_id, seq FROM timeline ORDER BY post_id DESC LIMIT ?", limit)
      .toArray()
      .map((r) => ({ postId: r.post_id, authorId: r.author_id, seq: r.seq }));
  }
}
