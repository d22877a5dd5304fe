/** Writing posts: create, share, edit, delete. Validation with the contract's own error codes. */
import { LIMITS, charCount, hasVisibleText, httpUrl, type CreatePostBody, type Post, type PostType, type SharePostBody } from "../../schema/api";
import { countedWrite } from "../rate-limit";
import { ApiError, notFound } from "../errors";
import { dropOtherMentions, mentionedIds, mentionsIn, POST_MENTIONS, resolveMentions } from "../mentions";
import { addNotice, goneNotices, preview, undoNotice } from "../notices";
import { mayNotifySql } from "../notify-rules";
import { hydrateStatement, loadVisiblePost, postsFromRows, type PostRecord } from "../posts";
import { attachableSql, markPostMediaDeletedStatement } from "../media/records";
import { postGoesByPull } from "../users";
import type { OpContext } from "./context";
import type { MutationEffect, MutationResult } from "./types";

/** Who hears of a new post (?1 author, ?2 post): the people it mentions, and a shared post's author, if they may see it. */
const POST_RECIPIENTS_SQL = `
  SELECT 'share' AS kind, o.author_id AS recipient FROM posts s JOIN posts o ON o.id = s.shared_post_id
    WHERE s.id = ?2 AND ${mayNotifySql("?1", "o.author_id", "?2")}
  UNION ALL SELECT 'mention', pm.user_id FROM post_mentions pm WHERE pm.post_id = ?2 AND ${mayNotifySql("?1", "pm.user_id", "?2")}`;

/** The notices of a new post: one per recipient, a share before a mention. */
function newPostNotices(post: Post, rows: { kind: "share" | "mention"; recipient: string }[], now: number): MutationEffect[] {
  const told = new Set<string>();
  const effects: MutationEffect[] = [];
  for (const { kind, recipient } of [...rows].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "share" ? -1 : 1))) {
    if (told.has(recipient)) continue;
    told.add(recipient);
    if (kind === "share" && post.sharedPost) {
      const original = post.sharedPost;
      effects.push(addNotice(recipient, "share", post.author, now, { target: original.id, ref: post.id, postId: original.id, preview: preview(original.content) }));
    } else if (kind === "mention") {
      effects.push(addNotice(recipient, "mention", post.author, now, { target: post.id, ref: post.id, postId: post.id, preview: preview(post.content) }));
    }
  }
  return effects;
}

const LINK_PATTERN = /\bhttps?:\/\/\S+/i;

const invalidMedia = (message: string, reason: string) => new ApiError(400, "INVALID_MEDIA", message, { reason });

/**
 * EMPTY_POST, CONTENT_TOO_LONG, INVALID_IMAGE_URL and the shape of INVALID_MEDIA: the rules a new
 * post's body must meet, with the contract's codes. Checked once, at the edge
 * (worker/routes/posts.ts), before an object is woken; the object trusts the typed op it is given
 * (defaults are set by the schema's validator). Whether the media are the poster's own unposted
 * uploads needs D1: insertPost checks that in the same transaction as the insert.
 */
export function validateNewPost(body: CreatePostBody): void {
  const content = body.content;
  const imageUrl = body.imageUrl ?? null;
  const media = body.media ?? [];
  if (media.length > 0 && imageUrl !== null) throw new ApiError(400, "VALIDATION_ERROR", "A post has media or an imageUrl, not both.");
  if (media.length > LIMITS.mediaPerPost)
    throw invalidMedia(`A post holds at most ${LIMITS.mediaPerPost} images.`, "too_many");
  if (new Set(media.map((m) => m.id)).size !== media.length) throw invalidMedia("The same image is listed twice.", "duplicate");
  if (media.some((m) => charCount(m.alt ?? "") > LIMITS.altTextMax))
    throw invalidMedia(`Alt text holds at most ${LIMITS.altTextMax} characters.`, "alt_too_long");
  if (!hasVisibleText(content) && !imageUrl && media.length === 0) throw new ApiError(400, "EMPTY_POST", "A post needs some text or an image.");
  if (charCount(content) > LIMITS.postContentMax)
    throw new ApiError(400, "CONTENT_TOO_LONG", `A post holds at most ${LIMITS.postContentMax} characters.`, { max: LIMITS.postContentMax });
  if (imageUrl !== null && !httpUrl.safeParse(imageUrl).success)
    throw new ApiError(400, "INVALID_IMAGE_URL", "The image URL must be an http or https URL.");
}

export function validateEdit(content: string): void {
  if (!hasVisibleText(content)) throw new ApiError(400, "EMPTY_POST", "A post needs some text.");
  if (charCount(content) > LIMITS.postContentMax)
    throw new ApiError(400, "CONTENT_TOO_LONG", `A post holds at most ${LIMITS.postContentMax} characters.`, { max: LIMITS.postContentMax });
}

function inferPostType(body: CreatePostBody): PostType {
  if (body.postType) return body.postType;
  if (body.imageUrl || body.media?.length) return "image";
  return LINK_PATTERN.test(body.content) ? "link" : "text";
}

interface NewPostRow {
  content: string;
  imageUrl: string | null;
  postType: PostType;
  privacy: Post["privacy"];
  sharedPostId: string | null;
  /** Uploads the post takes, in order (validated shape: at most 4, distinct, alt within its limit). */
  media: { id: string; alt?: string }[];
}

/**
 * The statements that give a new post its uploads, all or nothing, inside insertPost's batch (D1
 * cannot read between a batch's statements, so the rule is written in SQL): the uploads are taken
 * first (only the poster's own, unposted, not the avatar: attachableSql); the post is inserted only
 * if every one was taken (`changes()`); otherwise the uploads are given back, no post exists, and
 * insertPost answers INVALID_MEDIA. A crash-retry finds them already on its (same) post id.
 */
function attachMedia(ctx: OpContext, media: NewPostRow["media"], allowedSql: string) {
  const { db, viewerId, reservedId: id, now } = ctx;
  const refs = JSON.stringify(media.map((m, position) => ({ id: m.id, alt: m.alt ?? "", position })));
  return {
    take: db
      .prepare(
        `UPDATE media AS m SET post_id = ?1, position = json_extract(j.value, '$.position'), alt = json_extract(j.value, '$.alt')
         FROM json_each(?2) AS j WHERE m.id = json_extract(j.value, '$.id') AND ${attachableSql("?3", "?4")} AND ${allowedSql}`,
      )
      .bind(id, refs, viewerId, now),
    allTaken: `changes() = ${media.length}`,
    giveBack: db
      .prepare("UPDATE media SET post_id = NULL, position = NULL, alt = NULL WHERE post_id = ?1 AND NOT EXISTS (SELECT 1 FROM posts WHERE id = ?1)")
      .bind(id),
  };
}

/**
 * One D1 batch, the post's only round trip: count the attempt against the post rate limit, insert
 * the post (idempotent on its reserved id) with its uploads, count a share on the original, and
 * flag the author as a pull source when at or above the celebrity threshold, all in one
 * transaction, so the push/pull decision and the flag readers rely on can never disagree. Over the
 * limit the uploads are not taken and the post is not inserted (`limit.allowedSql`; everything
 * after moves by changes() of the insert or finds no post), and the answer is 429.
 */
async function insertPost(ctx: OpContext, row: NewPostRow): Promise<MutationResult> {
  const { db, viewerId, reservedId: id, now, config } = ctx;
  const limit = countedWrite(db, `post:${viewerId}`, config.postRateLimitPerMinute, now);
  const media = row.media.length > 0 ? attachMedia(ctx, row.media, limit.allowedSql) : null;
  const hydrate = hydrateStatement(db, viewerId, [id]);
  const recipientsStatement = db.prepare(POST_RECIPIENTS_SQL).bind(viewerId, id);
  const statements = [
    ...limit.statements,
    ...(media ? [media.take] : []),
    db
      .prepare(
        `INSERT INTO posts (id, author_id, content, image_url, post_type, privacy, shared_post_id, created_at, updated_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${media ? media.allTaken : "1"} AND ${limit.allowedSql} ON CONFLICT (id) DO NOTHING`,
      )
      .bind(id, viewerId, row.content, row.imageUrl, row.postType, row.privacy, row.sharedPostId, now, now),
    // changes() is the insert's row count: 0 on a crash-retry, so the original is counted once.
    db.prepare("UPDATE posts SET share_count = share_count + changes() WHERE id = ?").bind(row.sharedPostId),
    // The flag readers rely on, set in the same transaction as the post (postGoesByPull in SQL).
    // Only when the post went in: a post refused by the rate limit changes nothing but the counter.
    db.prepare(`UPDATE users SET is_pull_source = 1 WHERE id = ? AND follower_count >= ? AND EXISTS (SELECT 1 FROM posts WHERE id = ?)`).bind(viewerId, config.celebrityThreshold, id),
    ...(media ? [media.giveBack] : []),
    resolveMentions(db, POST_MENTIONS, id, mentionsIn(row.content)),
    hydrate,
    recipientsStatement,
  ];
  const results = await db.batch<PostRecord>(statements);
  limit.check(results);
  const rows = results[statements.indexOf(hydrate)].results;
  const record = rows.find((r) => r.id === id);
  const post = postsFromRows(rows, config.celebrityThreshold).get(id);
  if (media && !record)
    throw invalidMedia("Images must be your own uploads that no post has taken yet (uploads are kept 24 hours).", "not_available");
  if (!record || !post) throw new Error(`post ${id} missing right after insert`);
  const celebrity = postGoesByPull(record.follower_count, config.celebrityThreshold);
  const effects: MutationResult["effects"] = [{ type: "authored", post, celebrity }];
  if (row.sharedPostId && post.sharedPost) {
    const update = { postId: row.sharedPostId, field: "shareCount" as const, delta: 1, newValue: post.sharedPost.shareCount };
    effects.push({ type: "engagement", authorId: post.sharedPost.authorId, privacy: post.sharedPost.privacy, update });
  }
  // Sent even when a retry found the post already written: the recipient ignores a notice it has.
  const recipients = results[statements.indexOf(recipientsStatement)].results as unknown as { kind: "share" | "mention"; recipient: string }[];
  effects.push(...newPostNotices(post, recipients, now));
  return { status: 201, body: { post }, effects };
}

export async function createPost(ctx: OpContext, body: CreatePostBody): Promise<MutationResult> {
  return insertPost(ctx, {
    content: body.content,
    imageUrl: body.imageUrl ?? null,
    postType: inferPostType(body),
    privacy: body.privacy,
    sharedPostId: null,
    media: body.media ?? [],
  });
}

export async function sharePost(ctx: OpContext, postId: string, body: SharePostBody): Promise<MutationResult> {
  const target = await loadVisiblePost(ctx.db, ctx.viewerId, postId, ctx.config.celebrityThreshold);
  if (!target) throw notFound("POST_NOT_FOUND", "Post");
  // Sharing a share shares its original, so chains never nest.
  const original = target.postType === "share" ? target.sharedPost : target;
  if (!original) throw notFound("POST_NOT_FOUND", "Post");
  return insertPost(ctx, {
    content: body.content,
    imageUrl: null,
    postType: "share",
    privacy: body.privacy,
    sharedPostId: original.id,
    media: [],
  });
}

/** 404 when the viewer cannot see the post, 403 when it can but is not its author. */
async function requireOwnPost(ctx: OpContext, postId: string): Promise<Post> {
  const post = await loadVisiblePost(ctx.db, ctx.viewerId, postId, ctx.config.celebrityThreshold);
  if (!post) throw notFound("POST_NOT_FOUND", "Post");
  if (post.authorId !== ctx.viewerId) throw new ApiError(403, "FORBIDDEN", "Only the author can change this post.");
  return post;
}

/** An edit re-resolves the post's mentions: people newly mentioned hear of it, people edited out are taken back out. */
export async function editPost(ctx: OpContext, postId: string, content: string): Promise<MutationResult> {
  await requireOwnPost(ctx, postId);
  const { db, viewerId, now } = ctx;
  const names = mentionsIn(content);
  const results = await db.batch<Record<string, unknown>>([
    mentionedIds(db, POST_MENTIONS, postId),
    db.prepare("UPDATE posts SET content = ?, updated_at = ? WHERE id = ? AND author_id = ?").bind(content, now, postId, viewerId),
    dropOtherMentions(db, POST_MENTIONS, postId, names),
    resolveMentions(db, POST_MENTIONS, postId, names),
    hydrateStatement(db, viewerId, [postId]),
    db.prepare(`SELECT pm.user_id FROM post_mentions pm WHERE pm.post_id = ?2 AND ${mayNotifySql("?1", "pm.user_id", "?2")}`).bind(viewerId, postId),
  ]);
  const post = postsFromRows(results[4].results as unknown as PostRecord[], ctx.config.celebrityThreshold).get(postId);
  if (!post) throw notFound("POST_NOT_FOUND", "Post");
  const before = new Set((results[0].results as { user_id: string }[]).map((r) => r.user_id));
  const after = new Set(post.mentions.map((u) => u.id));
  const effects: MutationEffect[] = [{ type: "edited", post }];
  for (const { user_id } of results[5].results as { user_id: string }[]) {
    if (!before.has(user_id)) effects.push(addNotice(user_id, "mention", post.author, now, { target: postId, ref: postId, postId, preview: preview(content) }));
  }
  for (const id of before) if (!after.has(id) && id !== viewerId) effects.push(undoNotice(id, ["mention"], viewerId, [postId]));
  return { status: 200, body: { post }, effects };
}

export async function deletePost(ctx: OpContext, postId: string): Promise<MutationResult> {
  const post = await requireOwnPost(ctx, postId);
  const { db } = ctx;
  const statements = [mentionedIds(db, POST_MENTIONS, postId), db.prepare("DELETE FROM posts WHERE id = ? AND author_id = ?").bind(postId, ctx.viewerId)];
  if (post.postType === "share" && post.sharedPost) {
    statements.push(db.prepare("UPDATE posts SET share_count = MAX(0, share_count - changes()) WHERE id = ?").bind(post.sharedPost.id));
  }
  // Its images 404 from now on; their bytes are removed by the author's media sweep, due now.
  if (post.media.length > 0) statements.push(markPostMediaDeletedStatement(db, postId, ctx.viewerId, ctx.now));
  // Likes and comments go with the post (ON DELETE CASCADE); shares of it keep their own text
  // and embed `sharedPost: null` from now on.
  const [mentioned] = await db.batch<{ user_id: string }>(statements);
  // Notifications about it go: the author's own, the mentioned people's, a shared original's author's.
  // (Commenters' notifications about the post are dropped when read: core/notify-rules.ts visibleTargets.)
  const recipients = [ctx.viewerId, ...mentioned.results.map((r) => r.user_id), ...(post.sharedPost ? [post.sharedPost.authorId] : [])];
  const effects: MutationResult["effects"] = [{ type: "deleted", postId, privacy: post.privacy }, ...goneNotices(recipients, [postId])];
  if (post.media.length > 0) effects.push({ type: "mediaSweepDue", at: ctx.now });
  return { status: 200, body: { deleted: true }, effects };
}
