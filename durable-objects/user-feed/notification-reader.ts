/**
 * GET /notifications, inside the user's UserFeed: a keyset page of this object's notifications
 * (newest `updatedAt` first) checked against D1 in one statement (core/notify-rules.ts
 * `visibleTargets`): a notification whose post the reader may no longer see, or whose comment is
 * gone, is dropped for good instead of shown; an actor who is absent to the reader now (deleted, or
 * blocked either way since) leaves every group, and a group with no actor left goes. The cursor is taken before that filter, so a dropped
 * notification never shifts a page.
 */
import type { Db } from "../../core/d1";
import { z } from "zod";
import type { ListQuery, Notification, NotificationListResponse } from "../../schema/api";
import { decodeCursor, encodeCursor } from "../../core/cursor";
import { visibleTargets } from "../../core/notify-rules";
import { absentAmong } from "../../core/relations";
import type { NotificationStore } from "./notifications";

const cursorSchema = z.object({ u: z.number().int().min(0), i: z.string().min(1).max(64) });

export interface NotificationReaderDeps {
  db: Db;
  viewerId: string;
  store: NotificationStore;
}

export async function readNotifications({ db, viewerId, store }: NotificationReaderDeps, query: ListQuery): Promise<NotificationListResponse> {
  const before = query.cursor === undefined ? null : decodeCursor(query.cursor, cursorSchema);
  store.trim(Date.now()); // groups past 90 days go even when no new one was made since
  const rows = store.page(before ? [before.u, before.i] : null, query.limit).rows;
  const page = rows.slice(0, query.limit);
  const postIds = [...new Set(page.flatMap((r) => r.postId ?? []))];
  const commentIds = [...new Set(page.flatMap((r) => r.commentTarget ?? []))];
  // In parallel, one round trip: the targets still visible, and actors gone (a deleted account, a block since).
  const [visible, absent] = await Promise.all([visibleTargets(db, viewerId, postIds, commentIds), absentAmong(db, viewerId, store.actorsOf(page.map((r) => r.id)))]);
  store.removeActors(absent);
  const hidden = page.filter((r) => (r.postId !== null && !visible.posts.has(r.postId)) || (r.commentTarget !== null && !visible.comments.has(r.commentTarget)));
  store.remove(hidden.map((r) => r.id));
  const dropped = new Set(hidden.map((r) => r.id));
  // view() after the await: a group removed meanwhile is simply absent.
  const notifications = page.flatMap((r) => (dropped.has(r.id) ? [] : [store.view(r.id)].filter((n): n is Notification => n !== null)));
  const last = page[page.length - 1];
  const hasMore = rows.length > query.limit;
  return {
    notifications,
    unreadCount: store.unreadCount(),
    pagination: { nextCursor: hasMore && last ? encodeCursor({ u: last.updatedAt, i: last.id }) : null, hasMore },
  };
}
