/**
 * This user's notifications, in this object's own SQLite (never a D1 write per notification).
 *
 *   notifications        one row per group: a kind on one target (a post, a comment, or a UTC day
 *                        for follows); while unread, later actors join it (partial unique index)
 *   notification_actors  who is in a group and because of what (`ref`: the like's post, the
 *                        comment, the share...), with the actor's summary and the text preview as
 *                        they were sent, so a read needs no D1 lookup of people
 *
 * Invariants: at most one unread group per (kind, target); `actor_count` is the number of distinct
 * actors in the group; a group with no actor left is deleted; at most LIMITS.notificationsKept
 * groups, none older than LIMITS.notificationsKeptDays (by updated_at), are kept.
 * A burst (1,000 likes on one post) is one group: one row updated and one small actor row each.
 */
import { LIMITS, type Notification, type NotificationKind, type UserSummary } from "../../schema/api";
import { newId } from "../../schema/ids";
import type { Notice } from "../../core/ops/types";

export const NOTIFICATIONS_SCHEMA = `
  CREATE TABLE notifications (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, target TEXT NOT NULL, post_id TEXT, read INTEGER NOT NULL DEFAULT 0,
    actor_count INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE UNIQUE INDEX notifications_unread_group ON notifications (kind, target) WHERE read = 0;
  CREATE INDEX notifications_order ON notifications (updated_at, id);
  CREATE INDEX notifications_post ON notifications (post_id);
  CREATE TABLE notification_actors (
    notification_id TEXT NOT NULL, actor_id TEXT NOT NULL, ref TEXT NOT NULL, comment_id TEXT, preview TEXT,
    actor TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (notification_id, actor_id, ref));
  CREATE INDEX notification_actors_newest ON notification_actors (notification_id, at);
  CREATE INDEX notification_actors_ref ON notification_actors (ref);
`;

const DAY_MS = 86_400_000;
type Add = Extract<Notice, { op: "add" }>;
type Row = { id: string; kind: NotificationKind; target: string; post_id: string | null; read: number; actor_count: number; created_at: number; updated_at: number };

const iso = (ms: number) => new Date(ms).toISOString();
const json = (values: readonly string[]) => JSON.stringify(values);

export class NotificationStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Adds the actor to the unread group of (kind, target), making the group if needed. The group's id, or null if nothing changed. */
  add(notice: Add, now: number): string | null {
    const { kind, target, actor } = notice;
    let id = this.sql.exec<{ id: string }>("SELECT id FROM notifications WHERE kind = ? AND target = ? AND read = 0", kind, target).toArray()[0]?.id;
    const created = id === undefined;
    if (id === undefined) {
      id = newId(now);
      this.sql.exec(
        "INSERT INTO notifications (id, kind, target, post_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        id,
        kind,
        target,
        notice.postId ?? null,
        now,
        notice.at,
      );
    }
    const known = this.sql.exec("SELECT 1 FROM notification_actors WHERE notification_id = ? AND actor_id = ? LIMIT 1", id, actor.id).toArray().length > 0;
    const inserted = this.sql.exec(
      `INSERT INTO notification_actors (notification_id, actor_id, ref, comment_id, preview, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING RETURNING 1`,
      id,
      actor.id,
      notice.ref,
      notice.commentId ?? null,
      notice.preview ?? null,
      JSON.stringify(actor),
      notice.at,
    ).toArray().length;
    if (inserted === 0) return null; // the same notice again (a retried request)
    this.sql.exec(
      "UPDATE notifications SET actor_count = actor_count + ?, updated_at = MAX(updated_at, ?) WHERE id = ?",
      known ? 0 : 1,
      notice.at,
      id,
    );
    if (created) this.trim(now); // a new group may push the oldest past the cap
    return id;
  }

  /** Takes the actor's `refs` out of unread groups of `kinds`; returns the groups changed. */
  undo(kinds: readonly NotificationKind[], actorId: string, refs: readonly string[]): string[] {
    const ids = this.sql
      .exec<{ id: string }>(
        `SELECT DISTINCT n.id FROM notifications n JOIN notification_actors a ON a.notification_id = n.id
         WHERE n.read = 0 AND n.kind IN (SELECT value FROM json_each(?)) AND a.actor_id = ? AND a.ref IN (SELECT value FROM json_each(?))`,
        json(kinds),
        actorId,
        json(refs),
      )
      .toArray()
      .map((r) => r.id);
    for (const id of ids) {
      this.sql.exec("DELETE FROM notification_actors WHERE notification_id = ? AND actor_id = ? AND ref IN (SELECT value FROM json_each(?))", id, actorId, json(refs));
    }
    return this.recount(ids);
  }

  /**
   * Posts or comments `ids` were deleted: groups about them go (read or not), and so do the actors
   * they put into other groups. Returns the groups changed or removed.
   */
  gone(ids: readonly string[]): string[] {
    const list = json(ids);
    const about = this.sql
      .exec<{ id: string }>(
        "SELECT id FROM notifications WHERE target IN (SELECT value FROM json_each(?1)) OR post_id IN (SELECT value FROM json_each(?1))",
        list,
      )
      .toArray()
      .map((r) => r.id);
    this.remove(about);
    const touched = this.sql
      .exec<{ id: string }>("SELECT DISTINCT notification_id AS id FROM notification_actors WHERE ref IN (SELECT value FROM json_each(?))", list)
      .toArray()
      .map((r) => r.id);
    this.sql.exec("DELETE FROM notification_actors WHERE ref IN (SELECT value FROM json_each(?))", list);
    return [...about, ...this.recount(touched)];
  }

  /** Deletes groups (and their actors), e.g. ones whose post the reader may no longer see. */
  remove(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.sql.exec("DELETE FROM notification_actors WHERE notification_id IN (SELECT value FROM json_each(?))", json(ids));
    this.sql.exec("DELETE FROM notifications WHERE id IN (SELECT value FROM json_each(?))", json(ids));
  }

  /** After actors left: empty groups go, the rest get their count and newest time back. Returns `ids`. */
  /** The actors of groups `ids` (to check at read time that they still exist for the reader). */
  actorsOf(ids: readonly string[]): string[] {
    if (ids.length === 0) return [];
    return this.sql
      .exec<{ actor_id: string }>("SELECT DISTINCT actor_id FROM notification_actors WHERE notification_id IN (SELECT value FROM json_each(?))", json(ids))
      .toArray()
      .map((r) => r.actor_id);
  }

  /** Actors now absent to this user (deleted, or blocked either way) leave every group, read or not; empty groups go. */
  removeActors(actorIds: readonly string[]): string[] {
    if (actorIds.length === 0) return [];
    const ids = this.sql
      .exec<{ notification_id: string }>("SELECT DISTINCT notification_id FROM notification_actors WHERE actor_id IN (SELECT value FROM json_each(?))", json(actorIds))
      .toArray()
      .map((r) => r.notification_id);
    this.sql.exec("DELETE FROM notification_actors WHERE actor_id IN (SELECT value FROM json_each(?))", json(actorIds));
    return this.recount(ids);
  }

  private recount(ids: readonly string[]): string[] {
    for (const id of ids) {
      const { n, newest } = this.sql
        .exec<{ n: number; newest: number | null }>("SELECT COUNT(DISTINCT actor_id) AS n, MAX(at) AS newest FROM notification_actors WHERE notification_id = ?", id)
        .one();
      if (n === 0) this.remove([id]);
      else this.sql.exec("UPDATE notifications SET actor_count = ?, updated_at = ? WHERE id = ?", n, newest, id);
    }
    return [...ids];
  }

  /** The contract's Notification for group `id`, or null when it no longer exists. */
  view(id: string): Notification | null {
    const row = this.sql.exec<Row>("SELECT * FROM notifications WHERE id = ?", id).toArray()[0];
    return row ? this.toNotification(row) : null;
  }

  private toNotification(row: Row): Notification {
    // Newest first; the cursor is read lazily, so a big group costs only its first few rows.
    const actors: UserSummary[] = [];
    const seen = new Set<string>();
    let newest: { comment_id: string | null; preview: string | null } | undefined;
    for (const a of this.sql.exec<{ actor_id: string; actor: string; comment_id: string | null; preview: string | null }>(
      "SELECT actor_id, actor, comment_id, preview FROM notification_actors WHERE notification_id = ? ORDER BY at DESC, rowid DESC",
      row.id,
    )) {
      newest ??= a;
      if (!seen.has(a.actor_id)) {
        seen.add(a.actor_id);
        actors.push(JSON.parse(a.actor) as UserSummary);
      }
      if (actors.length >= LIMITS.notificationActorsShown) break;
    }
    return {
      id: row.id,
      kind: row.kind,
      actors,
      actorCount: row.actor_count,
      ...(row.post_id ? { postId: row.post_id } : {}),
      ...(newest?.comment_id ? { commentId: newest.comment_id } : {}),
      ...(newest?.preview ? { preview: newest.preview } : {}),
      read: row.read === 1,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  }

  /** Newest `updatedAt` first, after the keyset position `before` ([updatedAt, id]); one extra row tells there is more. */
  page(before: [number, string] | null, limit: number): { rows: { id: string; updatedAt: number; postId: string | null; commentTarget: string | null }[] } {
    const [u, i] = before ?? [Number.MAX_SAFE_INTEGER, "~"];
    const rows = this.sql
      .exec<Row>("SELECT * FROM notifications WHERE (updated_at, id) < (?, ?) ORDER BY updated_at DESC, id DESC LIMIT ?", u, i, limit + 1)
      .toArray();
    return {
      rows: rows.map((r) => ({
        id: r.id,
        updatedAt: r.updated_at,
        postId: r.post_id,
        // Kinds whose target is a comment: it must still exist to be shown.
        commentTarget: r.kind === "reply" || r.kind === "comment_like" || (r.kind === "mention" && r.target !== r.post_id) ? r.target : null,
      })),
    };
  }

  unreadCount(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM notifications WHERE read = 0").one().n;
  }

  /** Marks `upTo` and every notification updated before it read (all when null); null when `upTo` is unknown. */
  markRead(upTo: string | null): { unreadCount: number } | null {
    if (upTo === null) {
      this.sql.exec("UPDATE notifications SET read = 1 WHERE read = 0");
    } else {
      const row = this.sql.exec<{ updated_at: number }>("SELECT updated_at FROM notifications WHERE id = ?", upTo).toArray()[0];
      if (!row) return null;
      this.sql.exec("UPDATE notifications SET read = 1 WHERE read = 0 AND (updated_at, id) <= (?, ?)", row.updated_at, upTo);
    }
    return { unreadCount: this.unreadCount() };
  }

  /** The caps: the newest LIMITS.notificationsKept groups, none older than LIMITS.notificationsKeptDays. */
  trim(now: number): void {
    const stale = this.sql
      .exec<{ id: string }>(
        `SELECT id FROM notifications WHERE updated_at < ?
         UNION SELECT id FROM (SELECT id FROM notifications ORDER BY updated_at DESC, id DESC LIMIT -1 OFFSET ?)`,
        now - LIMITS.notificationsKeptDays * DAY_MS,
        LIMITS.notificationsKept,
      )
      .toArray()
      .map((r) => r.id);
    this.remove(stale);
  }

  summary() {
    const { n, actors } = this.sql.exec<{ n: number; actors: number }>("SELECT COUNT(*) AS n, (SELECT COUNT(*) FROM notification_actors) AS actors FROM notifications").one();
    return { groups: n, actorRows: actors, unread: this.unreadCount() };
  }
}
