/**
 * Comments: write, edit, delete, like. Each write is one D1 batch in which the counters move with
 * the rows they count (exact under concurrency, unchanged by repeats) and the same batch reads who
 * may be notified (core/notify-rules.ts), so a comment costs no extra round trip for its
 * notifications. Threads are one level deep: a reply to a reply is stored under its top-level
 * comment. `commentCount` counts every comment and reply of the post.
 */
import type { NotificationKind } from "../../schema/api";
import { ApiError, notFound } from "../errors";
import { COMMENT_SELECT, toComment, VISIBLE_COMMENTS_FROM, type CommentRecord } from "../comments";
import { COMMENT_MENTIONS, dropOtherMentions, mentionedIds, mentionsIn, resolveMentions } from "../mentions";
import { addNotice, goneNotices, preview, undoNotice } from "../notices";
import { mayNotifySql } from "../notify-rules";
import { POST_VISIBLE_SQL } from "../posts";
import { summaryStatement, toUserSummary, type UserRecord } from "../users";
import type { OpContext } from "./context";
import type { MutationEffect, MutationResult } from "./types";

type Rows = { results: Record<string, unknown>[]; meta: { changes: number } }[];
const rowsOf = <T>(results: Rows, index: number) => results[index].results as unknown as T[];

/** Recipients of a new comment's notifications, by kind (?1 actor, ?2 post, ?3 comment). */
const RECIPIENTS_SQL = `
  SELECT 'reply' AS kind, pc.author_id AS recipient FROM comments c JOIN comments pc ON pc.id = c.parent_id
    WHERE c.id = ?3 AND ${mayNotifySql("?1", "pc.author_id", "?2")}
  UNION ALL SELECT 'comment', pp.author_id FROM posts pp
    WHERE pp.id = ?2 AND EXISTS (SELECT 1 FROM comments WHERE id = ?3) AND ${mayNotifySql("?1", "pp.author_id", "?2")}
  UNION ALL SELECT 'mention', cm.user_id FROM comment_mentions cm WHERE cm.comment_id = ?3 AND ${mayNotifySql("?1", "cm.user_id", "?2")}`;

/** One notification per recipient and action: a reply, else a comment on your post, else a mention. */
const PRIORITY: NotificationKind[] = ["reply", "comment", "mention"];

export async function addComment(ctx: OpContext, postId: string, content: string, parentId: string | null): Promise<MutationResult> {
  const { db, viewerId, now, reservedId: id, config } = ctx;
  // The top-level comment answered: the given one, or the one it answers.
  const top = "(SELECT COALESCE(pc.parent_id, pc.id) FROM comments pc WHERE pc.id = ?6 AND pc.post_id = ?2)";
  const results = (await db.batch([
    db
      .prepare(
        `INSERT INTO comments (id, post_id, author_id, post_author_id, parent_id, content, created_at, updated_at)
         SELECT ?3, p.id, ?1, p.author_id, ${top}, ?4, ?5, ?5 FROM posts p
         WHERE p.id = ?2 AND ${POST_VISIBLE_SQL} AND (?6 IS NULL OR ${top} IS NOT NULL)
         ON CONFLICT (id) DO NOTHING`,
      )
      .bind(viewerId, postId, id, content, now, parentId),
    // Each counter moves only if the statement before it changed a row (changes() is the previous
    // statement's count): the insert, then the post's update. A retried insert moves nothing.
    db.prepare("UPDATE posts SET comment_count = comment_count + 1 WHERE id = ?1 AND changes() > 0").bind(postId),
    db.prepare("UPDATE comments SET reply_count = reply_count + 1 WHERE changes() > 0 AND id = (SELECT parent_id FROM comments WHERE id = ?1)").bind(id),
    resolveMentions(db, COMMENT_MENTIONS, id, mentionsIn(content)),
    db.prepare(`SELECT ${COMMENT_SELECT} FROM ${VISIBLE_COMMENTS_FROM} AND c.id = ?2`).bind(viewerId, id),
    db
      .prepare(
        `SELECT p.author_id, p.privacy, p.comment_count, ${POST_VISIBLE_SQL} AS visible,
           (SELECT reply_count FROM comments WHERE id = (SELECT parent_id FROM comments WHERE id = ?3)) AS parent_replies
         FROM posts p WHERE p.id = ?2`,
      )
      .bind(viewerId, postId, id),
    db.prepare(RECIPIENTS_SQL).bind(viewerId, postId, id),
    summaryStatement(db, viewerId),
  ])) as Rows;
  const post = rowsOf<{ author_id: string; privacy: "public" | "friends"; comment_count: number; visible: number; parent_replies: number | null }>(results, 5)[0];
  if (!post || post.visible !== 1) throw notFound("POST_NOT_FOUND", "Post");
  const record = rowsOf<CommentRecord>(results, 4)[0];
  if (!record) throw notFound("COMMENT_NOT_FOUND", "Comment");
  const comment = toComment(record, config.celebrityThreshold);
  const effects: MutationEffect[] = [
    { type: "engagement", authorId: post.author_id, privacy: post.privacy, update: { postId, field: "commentCount", delta: 1, newValue: post.comment_count } },
  ];
  // Only the run that inserted it counts it (a retry after a crash finds it there and moves nothing).
  if (results[0].meta.changes > 0) effects.push({ type: "interacted", authorId: post.author_id, delta: 1 });
  if (comment.parentId && post.parent_replies !== null) {
    const update = { postId, commentId: comment.parentId, field: "replyCount" as const, delta: 1, newValue: post.parent_replies };
    effects.push({ type: "engagement", authorId: post.author_id, privacy: post.privacy, update });
  }
  // Sent when the comment exists, even if this run did not insert it: a retry after a crash must
  // still notify, and the recipient's object ignores a notice it already has.
  const actor = toUserSummary(rowsOf<UserRecord>(results, 7)[0], config.celebrityThreshold);
  const told = new Map<string, NotificationKind>();
  for (const { kind, recipient } of rowsOf<{ kind: NotificationKind; recipient: string }>(results, 6)) {
    const had = told.get(recipient);
    if (had === undefined || PRIORITY.indexOf(kind) < PRIORITY.indexOf(had)) told.set(recipient, kind);
  }
  for (const [recipient, kind] of told) {
    const target = kind === "reply" ? comment.parentId! : kind === "comment" ? postId : id;
    effects.push(addNotice(recipient, kind, actor, now, { target, ref: id, postId, commentId: id, preview: preview(content) }));
  }
  return { status: 201, body: { comment }, effects };
}

interface OwnedComment {
  id: string;
  author_id: string;
  post_id: string;
  parent_id: string | null;
  post_author: string;
  parent_author: string | null;
  privacy: "public" | "friends";
}

/** The comment with its post's author, when the viewer may see it (else 404 COMMENT_NOT_FOUND). */
async function requireVisibleComment(ctx: OpContext, commentId: string): Promise<OwnedComment> {
  const row = await ctx.db
    .prepare(
      `SELECT c.id, c.author_id, c.post_id, c.parent_id, p.author_id AS post_author, p.privacy,
         (SELECT pc.author_id FROM comments pc WHERE pc.id = c.parent_id) AS parent_author
       FROM ${VISIBLE_COMMENTS_FROM} AND c.id = ?2`,
    )
    .bind(ctx.viewerId, commentId)
    .first<OwnedComment>();
  if (!row) throw notFound("COMMENT_NOT_FOUND", "Comment");
  return row;
}

export async function editComment(ctx: OpContext, commentId: string, content: string): Promise<MutationResult> {
  const { db, viewerId, now, config } = ctx;
  const owned = await requireVisibleComment(ctx, commentId);
  if (owned.author_id !== viewerId) throw new ApiError(403, "FORBIDDEN", "Only its author can edit a comment.");
  const names = mentionsIn(content);
  const results = (await db.batch([
    mentionedIds(db, COMMENT_MENTIONS, commentId),
    db.prepare("UPDATE comments SET content = ?1, updated_at = ?2 WHERE id = ?3 AND author_id = ?4").bind(content, now, commentId, viewerId),
    dropOtherMentions(db, COMMENT_MENTIONS, commentId, names),
    resolveMentions(db, COMMENT_MENTIONS, commentId, names),
    db.prepare(`SELECT ${COMMENT_SELECT} FROM ${VISIBLE_COMMENTS_FROM} AND c.id = ?2`).bind(viewerId, commentId),
    db
      .prepare(`SELECT cm.user_id FROM comment_mentions cm WHERE cm.comment_id = ?2 AND ${mayNotifySql("?1", "cm.user_id", "?3")}`)
      .bind(viewerId, commentId, owned.post_id),
    summaryStatement(db, viewerId),
  ])) as Rows;
  const record = rowsOf<CommentRecord>(results, 4)[0];
  if (!record) throw notFound("COMMENT_NOT_FOUND", "Comment");
  const comment = toComment(record, config.celebrityThreshold);
  const before = new Set(rowsOf<{ user_id: string }>(results, 0).map((r) => r.user_id));
  const after = new Set(comment.mentions.map((u) => u.id));
  const actor = toUserSummary(rowsOf<UserRecord>(results, 6)[0], config.celebrityThreshold);
  const effects: MutationEffect[] = [];
  // Newly mentioned people hear of it; people edited out are taken back out (while unread).
  for (const { user_id } of rowsOf<{ user_id: string }>(results, 5)) {
    if (!before.has(user_id))
      effects.push(addNotice(user_id, "mention", actor, now, { target: commentId, ref: commentId, postId: owned.post_id, commentId, preview: preview(content) }));
  }
  for (const id of before) if (!after.has(id) && id !== viewerId) effects.push(undoNotice(id, ["mention"], viewerId, [commentId]));
  return { status: 200, body: { comment }, effects };
}

/**
 * Deletes a comment (its author, or the post's author) and its replies, in one batch that moves
 * the post's `commentCount` by all of them and the parent's `replyCount` by one. Whatever they
 * caused in anyone's notifications goes (a `gone` notice to each object that may hold some).
 */
export async function deleteComment(ctx: OpContext, commentId: string): Promise<MutationResult> {
  const { db, viewerId } = ctx;
  const owned = await requireVisibleComment(ctx, commentId);
  if (owned.author_id !== viewerId && owned.post_author !== viewerId)
    throw new ApiError(403, "FORBIDDEN", "Only its author or the post's author can delete a comment.");
  const thread = "(SELECT id FROM comments WHERE id = ?1 OR parent_id = ?1)";
  const results = (await db.batch([
    db.prepare("SELECT id, author_id FROM comments WHERE id = ?1 OR parent_id = ?1").bind(commentId),
    db.prepare(`SELECT DISTINCT user_id FROM comment_mentions WHERE comment_id IN ${thread}`).bind(commentId),
    db.prepare(`UPDATE posts SET comment_count = MAX(0, comment_count - (SELECT COUNT(*) FROM ${thread})) WHERE id = ?2`).bind(commentId, owned.post_id),
    db.prepare("UPDATE comments SET reply_count = MAX(0, reply_count - 1) WHERE id = (SELECT parent_id FROM comments WHERE id = ?1)").bind(commentId),
    db.prepare("DELETE FROM comments WHERE parent_id = ?1").bind(commentId),
    db.prepare("DELETE FROM comments WHERE id = ?1").bind(commentId),
    db.prepare("SELECT p.comment_count, (SELECT reply_count FROM comments WHERE id = ?2) AS parent_replies FROM posts p WHERE p.id = ?1").bind(owned.post_id, owned.parent_id),
  ])) as Rows;
  const deleted = rowsOf<{ id: string; author_id: string }>(results, 0);
  const body = { deleted: true as const };
  if (deleted.length === 0) return { status: 200, body, effects: [] }; // deleted meanwhile by another request
  const counts = rowsOf<{ comment_count: number; parent_replies: number | null }>(results, 6)[0];
  const { post_id: postId, post_author: authorId, privacy } = owned;
  const effects: MutationEffect[] = [];
  if (counts) effects.push({ type: "engagement", authorId, privacy, update: { postId, field: "commentCount", delta: -deleted.length, newValue: counts.comment_count } });
  if (owned.parent_id && counts?.parent_replies != null) {
    effects.push({ type: "engagement", authorId, privacy, update: { postId, commentId: owned.parent_id, field: "replyCount", delta: -1, newValue: counts.parent_replies } });
  }
  // The deleting user's own comments among those deleted leave their affinity to the post's author.
  const own = deleted.filter((d) => d.author_id === viewerId).length;
  if (own > 0) effects.push({ type: "interacted", authorId, delta: -own });
  const recipients = [authorId, ...(owned.parent_author ? [owned.parent_author] : []), ...deleted.map((d) => d.author_id)];
  recipients.push(...rowsOf<{ user_id: string }>(results, 1).map((r) => r.user_id));
  effects.push(...goneNotices(recipients, deleted.map((d) => d.id)));
  return { status: 200, body, effects };
}

interface CommentLikeRow {
  like_count: number;
  post_id: string;
  author_id: string;
  content: string;
  post_author: string;
  privacy: "public" | "friends";
  may_notify: number;
}

export async function setCommentLike(ctx: OpContext, commentId: string, liked: boolean): Promise<MutationResult> {
  const { db, viewerId, now, config } = ctx;
  // (`WHERE 1` keeps SQLite from reading the upsert's ON as a join's.)
  const visibleComment = `SELECT c.id FROM ${VISIBLE_COMMENTS_FROM} AND c.id = ?2`;
  const write = liked
    ? db.prepare(`INSERT INTO comment_likes (comment_id, user_id, created_at) SELECT id, ?1, ?3 FROM (${visibleComment}) WHERE 1 ON CONFLICT DO NOTHING`).bind(viewerId, commentId, now)
    : db.prepare(`DELETE FROM comment_likes WHERE comment_id = ?2 AND user_id = ?1 AND EXISTS (${visibleComment})`).bind(viewerId, commentId);
  const results = (await db.batch([
    write,
    db.prepare(`UPDATE comments SET like_count = MAX(0, like_count ${liked ? "+" : "-"} changes()) WHERE id = ?`).bind(commentId),
    db
      .prepare(
        `SELECT c.like_count, c.post_id, c.author_id, c.content, p.author_id AS post_author, p.privacy,
           ${mayNotifySql("?1", "c.author_id", "c.post_id")} AS may_notify
         FROM ${VISIBLE_COMMENTS_FROM} AND c.id = ?2`,
      )
      .bind(viewerId, commentId),
    summaryStatement(db, viewerId),
  ])) as Rows;
  const row = rowsOf<CommentLikeRow>(results, 2)[0];
  if (!row) throw notFound("COMMENT_NOT_FOUND", "Comment");
  const update = { postId: row.post_id, commentId, field: "likeCount" as const, delta: liked ? 1 : -1, newValue: row.like_count };
  const effects: MutationEffect[] = [{ type: "engagement", authorId: row.post_author, privacy: row.privacy, update }];
  if (results[0].meta.changes > 0 && row.may_notify === 1) {
    const actor = toUserSummary(rowsOf<UserRecord>(results, 3)[0], config.celebrityThreshold);
    effects.push(
      liked
        ? addNotice(row.author_id, "comment_like", actor, now, { target: commentId, ref: commentId, postId: row.post_id, commentId, preview: preview(row.content) })
        : undoNotice(row.author_id, ["comment_like"], viewerId, [commentId]),
    );
  }
  return { status: 200, body: { liked, likeCount: row.like_count }, effects };
}
