/**
 * Likes on posts. One D1 batch: the write is conditional on the post being visible to the viewer,
 * and the counter moves by `changes()` of that write inside the same transaction, so counts stay
 * exact under any concurrency and repeats change nothing. The batch also reads whether the post's
 * author may be notified (core/notify-rules.ts) and the liker's summary, so notifying costs no
 * round trip; only a like that changed something notifies (or, undone, takes it back).
 * Comments and their likes: core/ops/comments.ts.
 */
import { notFound } from "../errors";
import { addNotice, preview, undoNotice } from "../notices";
import { mayNotifySql } from "../notify-rules";
import { POST_VISIBLE_SQL } from "../posts";
import { summaryStatement, toUserSummary, type UserRecord } from "../users";
import type { OpContext } from "./context";
import type { MutationResult } from "./types";

interface LikeRow {
  author_id: string;
  privacy: "public" | "friends";
  content: string;
  like_count: number;
  visible: number;
  may_notify: number;
}

export async function setLike(ctx: OpContext, postId: string, liked: boolean): Promise<MutationResult> {
  const { db, viewerId, now } = ctx;
  const write = liked
    ? db
        .prepare(
          `INSERT INTO likes (post_id, user_id, author_id, created_at)
           SELECT p.id, ?1, p.author_id, ?3 FROM posts p WHERE p.id = ?2 AND ${POST_VISIBLE_SQL}
           ON CONFLICT (post_id, user_id) DO NOTHING`,
        )
        .bind(viewerId, postId, now)
    : db
        .prepare(`DELETE FROM likes WHERE post_id = ?2 AND user_id = ?1 AND EXISTS (SELECT 1 FROM posts p WHERE p.id = ?2 AND ${POST_VISIBLE_SQL})`)
        .bind(viewerId, postId);
  const sign = liked ? "+" : "-";
  const [written, , counted, me] = await db.batch<Record<string, unknown>>([
    write,
    db.prepare(`UPDATE posts SET like_count = MAX(0, like_count ${sign} changes()) WHERE id = ?`).bind(postId),
    db
      .prepare(
        `SELECT p.author_id, p.privacy, p.content, p.like_count, ${POST_VISIBLE_SQL} AS visible,
                (SELECT ${mayNotifySql("?1", "r.author_id", "r.id")} FROM posts r WHERE r.id = p.id) AS may_notify
         FROM posts p WHERE p.id = ?2`,
      )
      .bind(viewerId, postId),
    summaryStatement(db, viewerId),
  ]);
  const row = counted.results[0] as unknown as LikeRow | undefined;
  if (!row || row.visible !== 1) throw notFound("POST_NOT_FOUND", "Post");
  const effects: MutationResult["effects"] = [
    { type: "engagement", authorId: row.author_id, privacy: row.privacy, update: { postId, field: "likeCount", delta: liked ? 1 : -1, newValue: row.like_count } },
  ];
  if (written.meta.changes > 0) effects.push({ type: "interacted", authorId: row.author_id, delta: liked ? 1 : -1 });
  if (written.meta.changes > 0 && row.may_notify === 1) {
    const actor = toUserSummary(me.results[0] as unknown as UserRecord, ctx.config.celebrityThreshold);
    effects.push(
      liked
        ? addNotice(row.author_id, "like", actor, now, { target: postId, ref: postId, postId, preview: preview(row.content) })
        : undoNotice(row.author_id, ["like"], viewerId, [postId]),
    );
  }
  return { status: 200, body: { liked, likeCount: row.like_count }, effects };
}
