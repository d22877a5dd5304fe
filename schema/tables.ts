/**
 * D1 tables: the system of record for accounts, the social graph, posts and engagement.
 * Per-actor hot state (timelines, idempotency records, sockets, fan-out jobs) lives in the
 * Durable Objects instead; see durable-objects/.
 *
 * Times are epoch milliseconds. Ids are time-sortable strings (schema/ids.ts), so ordering by id
 * is ordering by creation time.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`: the parameters travel with the hash. */
    passwordHash: text("password_hash").notNull(),
    avatarUrl: text("avatar_url"),
    bio: text("bio"),
    followerCount: integer("follower_count").notNull().default(0),
    followingCount: integer("following_count").notNull().default(0),
    /**
     * Set once the author has written a post through the celebrity (pull) path. Readers merge the
     * posts of every followee with this flag at read time, so crossing the threshold in either
     * direction never loses a post from a follower's feed.
     */
    isPullSource: integer("is_pull_source", { mode: "boolean" }).notNull().default(false),
    /** Fan-out pushes only to followers active within the activity window. */
    lastActiveAt: integer("last_active_at").notNull(),
    /**
     * While the user has open sockets (written by their UserFeed on connect, renewed by its alarm,
     * ended on the last close: durable-objects/user-feed/presence.ts): the user was online at T
     * when `online_since <= T < online_until`. Fan-out delivers to those followers first
     * (core/fanout.ts). Never a write per message: one per connect, renewal and last close.
     */
    onlineSince: integer("online_since").notNull().default(0),
    onlineUntil: integer("online_until").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    /**
     * Set when the account is deleted (DELETE /users/me): from that moment the account and all it
     * made are absent from every read (core/relations.ts `userAbsentSql`), while its rows are
     * erased in the background by its UserFeed (durable-objects/user-feed/erasure.ts).
     */
    deletedAt: integer("deleted_at"),
  },
  (t) => [
    uniqueIndex("users_username_idx").on(t.username),
    index("users_pull_source_idx").on(t.isPullSource),
    // "Popular accounts" for people you may know: walked from the top, never sorted.
    index("users_follower_count_idx").on(t.followerCount),
  ],
);

/**
 * The search index of display names (GET /search/users): one row per word of each user's display
 * name, folded (lower case, accents and marks removed: core/search.ts `searchTerms`), so a prefix
 * query is a range scan of the primary key. Usernames need no row: they are lower-case ASCII
 * already and users_username_idx serves their prefixes. Written with the name (sign-up, profile
 * edit); `POST /api/v1/admin/search/reindex` rebuilds it for rows loaded in bulk (the seed).
 */
export const userSearchTerms = sqliteTable(
  "user_search_terms",
  {
    term: text("term").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.term, t.userId] }), index("user_search_terms_user_idx").on(t.userId, t.term)],
);

/**
 * Blocks: while either user has blocked the other, each is absent to the other everywhere
 * (core/relations.ts `blockedBetweenSql`, part of the one privacy rule in core/posts.ts).
 */
export const blocks = sqliteTable(
  "blocks",
  {
    blockerId: text("blocker_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    blockedId: text("blocked_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] }), index("blocks_blocked_idx").on(t.blockedId, t.blockerId)],
);

/** Mutes: the muted user's posts and shares leave the muter's home feed and its live pushes; nothing else changes. */
export const mutes = sqliteTable(
  "mutes",
  {
    muterId: text("muter_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    mutedId: text("muted_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.muterId, t.mutedId] }), index("mutes_muted_idx").on(t.mutedId)],
);

/** People the user dismissed from "people you may know": never suggested again. */
export const suggestionDismissals = sqliteTable(
  "suggestion_dismissals",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    dismissedId: text("dismissed_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.dismissedId] }), index("suggestion_dismissals_dismissed_idx").on(t.dismissedId)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the session token; the token itself is only ever in the client's cookie. */
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const follows = sqliteTable(
  "follows",
  {
    followerId: text("follower_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    followeeId: text("followee_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.followerId, t.followeeId] }),
    // Followers of an author, in id order: the fan-out pages through this index.
    index("follows_followee_idx").on(t.followeeId, t.followerId),
  ],
);

export const posts = sqliteTable(
  "posts",
  {
    id: text("id").primaryKey(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    content: text("content").notNull().default(""),
    imageUrl: text("image_url"),
    postType: text("post_type", { enum: ["text", "image", "video", "link", "share"] }).notNull(),
    privacy: text("privacy", { enum: ["public", "friends"] }).notNull(),
    sharedPostId: text("shared_post_id"),
    likeCount: integer("like_count").notNull().default(0),
    commentCount: integer("comment_count").notNull().default(0),
    shareCount: integer("share_count").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("posts_author_idx").on(t.authorId, t.id), index("posts_shared_idx").on(t.sharedPostId)],
);

export const likes = sqliteTable(
  "likes",
  {
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Author of the liked post, kept here so affinity (likes per author) needs no join. */
    authorId: text("author_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId] }), index("likes_user_author_idx").on(t.userId, t.authorId)],
);

export const comments = sqliteTable(
  "comments",
  {
    id: text("id").primaryKey(),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Author of the commented post, for affinity. */
    postAuthorId: text("post_author_id").notNull(),
    /**
     * The top-level comment this one answers, or null for a top-level comment. Threads are one
     * level deep: a reply to a reply is stored under the same top-level comment. No foreign key
     * (SQLite cannot add one to an existing table without a rebuild): deleting a comment deletes
     * its replies in the same batch (core/ops/comments.ts), and the post's cascade takes them all.
     */
    parentId: text("parent_id"),
    content: text("content").notNull(),
    /** Counters moved by `changes()` of the write in the same batch, like the post's. */
    likeCount: integer("like_count").notNull().default(0),
    replyCount: integer("reply_count").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    /** Set to created_at for comments made before the column existed (the migration does it). */
    updatedAt: integer("updated_at").notNull().default(0),
  },
  (t) => [
    index("comments_post_idx").on(t.postId, t.id),
    index("comments_author_post_author_idx").on(t.authorId, t.postAuthorId),
    // A post's top-level comments (parent_id IS NULL) and a comment's replies, each oldest first.
    index("comments_thread_idx").on(t.postId, t.parentId, t.id),
    index("comments_parent_idx").on(t.parentId, t.id),
  ],
);

export const commentLikes = sqliteTable(
  "comment_likes",
  {
    commentId: text("comment_id")
      .notNull()
      .references(() => comments.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  // The user index serves the cascade when an account is deleted.
  (t) => [primaryKey({ columns: [t.commentId, t.userId] }), index("comment_likes_user_idx").on(t.userId)],
);

/**
 * Mentions the server resolved when the text was written (or edited): `@username` of an account
 * that existed then. Only these render as profile links; any other `@word` stays text.
 */
export const postMentions = sqliteTable(
  "post_mentions",
  {
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId] }), index("post_mentions_user_idx").on(t.userId)],
);

export const commentMentions = sqliteTable(
  "comment_mentions",
  {
    commentId: text("comment_id")
      .notNull()
      .references(() => comments.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.userId] }), index("comment_mentions_user_idx").on(t.userId)],
);

/** Fixed one-minute windows for the login and posting limits (exact, unlike the Rate Limiting binding). */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: integer("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index("rate_limits_window_idx").on(t.windowStart)],
);

/**
 * Uploaded images (API.md Media). The bytes live in the R2 bucket MEDIA under `storage_key`
 * (random, unguessable, never served straight from the bucket: GET /media/:id applies the rules of
 * core/media.ts). An upload is unposted until a post takes it (`post_id`, `position`, `alt`), or
 * it is the owner's avatar while `users.avatar_url` names it. `post_id` has no foreign key on
 * purpose: deleting a post marks its media `deleted_at` in the same batch (they 404 at once) and
 * the owner's UserFeed removes the bytes and the rows by a durable job (media sweep), which also
 * removes uploads never posted after 24 hours.
 */
export const media = sqliteTable(
  "media",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** `media/<owner id>/<128 random bits>`: an owner's objects share a prefix (account deletion lists it). */
    storageKey: text("storage_key").notNull(),
    mimeType: text("mime_type", { enum: ["image/jpeg", "image/png", "image/webp", "image/gif"] }).notNull(),
    /** As displayed (a JPEG's EXIF orientation applied), so readers reserve the right box. */
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    byteSize: integer("byte_size").notNull(),
    postId: text("post_id"),
    position: integer("position"),
    alt: text("alt"),
    createdAt: integer("created_at").notNull(),
    deletedAt: integer("deleted_at"),
  },
  (t) => [
    uniqueIndex("media_storage_key_idx").on(t.storageKey),
    // A post's images in order: every hydrated post reads them through this index.
    index("media_post_idx").on(t.postId, t.position),
    // The sweep: an owner's unposted and deleted uploads.
    index("media_owner_idx").on(t.ownerId, t.createdAt),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type PostRow = typeof posts.$inferSelect;
export type CommentRow = typeof comments.$inferSelect;

/**
 * Keys the server itself holds, made by the migration that creates the table (randomblob), so no
 * secret has to be configured: `session-mac` signs the user id in session cookies
 * (worker/lib/session-cookie.ts).
 */
export const appKeys = sqliteTable("app_keys", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
});
