/**
 * The HTTP and WebSocket contract (../shared/API.md) as runtime validators with their inferred
 * types. The worker validates requests with these; the web client imports the same types. Nobody
 * re-declares a Post.
 */
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Limits (API.md). Every one is enforced by a validator below or by the code that names it.
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 30,
  passwordMin: 8,
  passwordMax: 1024,
  displayNameMax: 80,
  bioMax: 500,
  urlMax: 2048,
  postContentMax: 5000,
  commentContentMin: 1,
  commentContentMax: 2000,
  feedLimitDefault: 20,
  feedLimitMax: 50,
  listLimitDefault: 20,
  listLimitMax: 100,
  idempotencyKeyMax: 255,
  bodyMaxBytes: 64 * 1024,
  wsMessageMaxBytes: 16 * 1024,
  watchPostsMax: 200,
  /** POST /media: the raw image's bytes (API.md Media). */
  mediaMaxBytes: 10 * 1024 * 1024,
  mediaPerPost: 4,
  altTextMax: 1500,
  /** Our own bounds on an image's size in pixels (README API section): WebP's own maximum side, and 100 MP. */
  mediaSideMax: 16_384,
  mediaPixelsMax: 100_000_000,
  /** Distinct `@username`s resolved per post or comment (later ones stay text). */
  mentionsMax: 20,
  /** Notifications: the text shown with one, the actors listed, and how many a user keeps. */
  notificationPreviewMax: 140,
  notificationActorsShown: 3,
  notificationsKept: 500,
  notificationsKeptDays: 90,
  searchQueryMax: 50,
  peopleLimitDefault: 10,
  peopleLimitMax: 20,
} as const;

export const ERROR_CODES = [
  "NOT_FOUND",
  "UNAUTHENTICATED",
  "CSRF_REJECTED",
  "UNSUPPORTED_MEDIA_TYPE",
  "PAYLOAD_TOO_LARGE",
  "INVALID_JSON",
  "VALIDATION_ERROR",
  "INVALID_USERNAME",
  "WEAK_PASSWORD",
  "USERNAME_TAKEN",
  "INVALID_CREDENTIALS",
  "RATE_LIMITED",
  "USER_NOT_FOUND",
  "CANNOT_FOLLOW_SELF",
  "CANNOT_BLOCK_SELF",
  "CANNOT_MUTE_SELF",
  "MISSING_IDEMPOTENCY_KEY",
  "INVALID_IDEMPOTENCY_KEY",
  "IDEMPOTENCY_KEY_REUSED",
  "INVALID_CURSOR",
  "EMPTY_POST",
  "CONTENT_TOO_LONG",
  "INVALID_IMAGE_URL",
  "INVALID_IMAGE",
  "INVALID_MEDIA",
  "POST_NOT_FOUND",
  "COMMENT_NOT_FOUND",
  "FORBIDDEN",
  "INTERNAL_ERROR",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

// ---------------------------------------------------------------------------------------------
// Envelope
export type ApiSuccess<T> = { success: true; data: T };
export type ApiFailure = { success: false; error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };
export type ApiEnvelope<T> = ApiSuccess<T> | ApiFailure;

// ---------------------------------------------------------------------------------------------
// Entities: schema/entities.ts
import { MEDIA_TYPES, NOTIFICATION_KINDS, type PostType, type Privacy, type UserSummary, type User, type UserProfile, type MediaType, type Media, type PostMedia, type BasePost, type Post, type Comment, type NotificationKind, type Notification, type Pagination, type FeedResponse, type FeedUpdatesResponse } from "./entities";
export * from "./entities";

// ---------------------------------------------------------------------------------------------
// Request validators

/**
 * What is removed from every text a user writes for others to read, so that no one can hide or
 * reorder characters (impersonation: "\u202Enimda" displays as "admin"; "a\u200Bda" looks like
 * "ada") or store NUL:
 * - C0 and C1 control characters (and DEL); multi-line text keeps \n and \t (\r\n becomes \n);
 * - bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069);
 * - bidi marks (U+200E, U+200F, U+061C), zero-width and other invisible format characters (U+200B,
 *   U+200C, U+2060-U+2064, U+FEFF, soft hyphen U+00AD, U+034F, U+180E, U+FFF9-U+FFFB, the musical
 *   format characters U+1D173-U+1D17A), and tag characters (hidden text) except the run that
 *   follows a black flag (subdivision flags such as England's);
 * - U+200D (ZWJ) unless it joins two pictographs (with the first one's skin tone or emoji
 *   presentation selector between), so family, profession and flag emoji survive;
 * - lone surrogates (they are not text, and would be stored as three replacement characters);
 * - line and paragraph separators (U+2028, U+2029): a line break in multi-line text, else removed.
 */
const CONTROLS_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const CONTROLS_MULTI_LINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const SEPARATORS = /[\u2028\u2029]/g;
const INVISIBLE = /[\u202a-\u202e\u2066-\u2069\u200b\u200c\u200e\u200f\u061c\u2060-\u2064\ufeff\u00ad\u034f\u180e\ufff9-\ufffb\u{1D173}-\u{1D17A}]/gu;
// A run of tags is kept only right after a black flag (the lookbehind also skips the rest of that run).
const STRAY_TAGS = /(?<![\u{1F3F4}\u{E0000}-\u{E007F}])[\u{E0000}-\u{E007F}]+/gu;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ZWJ_NOT_JOINING_EMOJI = /(?<!\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;

export function cleanUserText(text: string, multiLine: boolean): string {
  return text
    .replace(LONE_SURROGATES, "")
    .replace(multiLine ? CONTROLS_MULTI_LINE : CONTROLS_SINGLE_LINE, "")
    .replace(SEPARATORS, "\n")
    .replace(INVISIBLE, "")
    .replace(STRAY_TAGS, "")
    .replace(ZWJ_NOT_JOINING_EMOJI, "");
}

/**
 * Characters that draw nothing: white space, format characters, Hangul fillers, the braille
 * blank, variation selectors and tags. A name, a comment or a post made only of these is empty
 * (they may stay inside real text: a Hangul filler or a space between words is harmless there).
 */
const DRAWS_NOTHING = /[\s\p{Z}\p{Cf}\u115f\u1160\u3164\uffa0\u2800\ufe00-\ufe0f\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;
export const visibleText = (text: string): string => text.replace(DRAWS_NOTHING, "");
export const hasVisibleText = (text: string): boolean => visibleText(text).length > 0;

/** A user-text field: cleaned first (zod's overwrite keeps it a string, so checks run after). */
const userText = (multiLine: boolean) => z.string().overwrite((text) => cleanUserText(text, multiLine));
const displayName = userText(false).trim().max(LIMITS.displayNameMax).refine(hasVisibleText, "must have some visible characters");
export const httpUrl = z
  .string()
  .max(LIMITS.urlMax)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an http or https URL");

/** Length as people count it: code points, so an emoji is one character, not two UTF-16 units. */
export const charCount = (text: string): number => [...text].length;
const maxChars = (max: number) => (text: string) => charCount(text) <= max;

export const USERNAME_PATTERN = /^[a-z0-9_]{3,30}$/;

export const signupBody = z.object({
  username: z.string(),
  password: z.string().max(LIMITS.passwordMax),
  displayName,
});
export type SignupBody = z.infer<typeof signupBody>;

export const loginBody = z.object({
  username: z.string().max(200),
  password: z.string().max(LIMITS.passwordMax),
});
export type LoginBody = z.infer<typeof loginBody>;

const mediaId = z.string().min(1).max(64);

export const updateProfileBody = z
  .object({
    displayName: displayName.optional(),
    bio: userText(true).max(LIMITS.bioMax).nullable().optional(),
    avatarUrl: httpUrl.nullable().optional(),
    /** One of the user's own uploads (POST /media): it becomes public and sets avatarUrl. INVALID_MEDIA otherwise (core/ops/graph.ts). */
    avatarMediaId: mediaId.optional(),
  })
  .strict()
  .refine((body) => body.avatarUrl === undefined || body.avatarMediaId === undefined, "give avatarUrl or avatarMediaId, not both");
export type UpdateProfileBody = z.infer<typeof updateProfileBody>;

/**
 * Shape only: EMPTY_POST, CONTENT_TOO_LONG, INVALID_IMAGE_URL and INVALID_MEDIA (more than 4, a
 * long alt, a repeated id, not the poster's own unposted upload) have codes of their own
 * (core/ops/posts.ts); the 64 KiB body limit bounds the list before that.
 */
export const createPostBody = z.object({
  content: userText(true).optional().default(""),
  imageUrl: z.string().nullable().optional(),
  media: z
    .array(z.object({ id: mediaId, alt: userText(true).trim().optional() }).strict())
    .optional(),
  privacy: z.enum(["public", "friends"]).optional().default("public"),
  postType: z.enum(["text", "image", "video", "link"]).optional(),
});
export type CreatePostBody = z.infer<typeof createPostBody>;

export const editPostBody = z.object({ content: userText(true) });
export type EditPostBody = z.infer<typeof editPostBody>;

const commentContent = userText(true)
  .trim()
  .min(LIMITS.commentContentMin)
  .refine(hasVisibleText, "must have some visible characters")
  .refine(maxChars(LIMITS.commentContentMax), `at most ${LIMITS.commentContentMax} characters`);

/** `parentId`: the comment answered (a reply to a reply answers its top-level comment). */
export const createCommentBody = z.object({
  content: commentContent,
  parentId: z.string().min(1).max(64).nullable().optional(),
});
export type CreateCommentBody = z.infer<typeof createCommentBody>;

export const editCommentBody = z.object({ content: commentContent });
export type EditCommentBody = z.infer<typeof editCommentBody>;

/** `upTo`: a notification id; it and every notification updated before it are read (all when absent). */
export const readNotificationsBody = z.object({ upTo: z.string().min(1).max(64).optional() });
export type ReadNotificationsBody = z.infer<typeof readNotificationsBody>;

export const sharePostBody = z.object({
  content: userText(true).refine(maxChars(LIMITS.postContentMax), `at most ${LIMITS.postContentMax} characters`).optional().default(""),
  privacy: z.enum(["public", "friends"]).optional().default("public"),
});
export type SharePostBody = z.infer<typeof sharePostBody>;

/** `limit`: a whole number >= 1; above the maximum it is clamped, not rejected. */
export const limitParam = (fallback: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "limit must be a whole number >= 1")
    .transform(Number)
    .refine((n) => n >= 1, "limit must be a whole number >= 1")
    .transform((n) => Math.min(n, max))
    .optional()
    .transform((n) => n ?? fallback);

export const feedQuery = z.object({
  cursor: z.string().optional(),
  limit: limitParam(LIMITS.feedLimitDefault, LIMITS.feedLimitMax),
  mode: z.enum(["ranked", "latest"]).optional().default("ranked"),
});
/** Declared plainly (not inferred) so it crosses Durable Object RPC with a simple type. */
export interface FeedQuery {
  cursor?: string;
  limit: number;
  mode: "ranked" | "latest";
}
feedQuery satisfies z.ZodType<FeedQuery, unknown>;

export const listQuery = z.object({
  cursor: z.string().optional(),
  limit: limitParam(LIMITS.listLimitDefault, LIMITS.listLimitMax),
});
export type ListQuery = z.infer<typeof listQuery>;

export const updatesQuery = z.object({ since: z.string() });

/** GET /search/users: `q` is 1–50 characters once trimmed (code points); `limit` 10 by default, above 20 clamped. */
export const searchQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1, "q must not be empty")
    .refine(maxChars(LIMITS.searchQueryMax), `q holds at most ${LIMITS.searchQueryMax} characters`),
  limit: limitParam(LIMITS.peopleLimitDefault, LIMITS.peopleLimitMax),
});
export const suggestionsQuery = z.object({ limit: limitParam(LIMITS.peopleLimitDefault, LIMITS.peopleLimitMax) });

export const changePasswordBody = z.object({
  currentPassword: z.string().max(LIMITS.passwordMax),
  newPassword: z.string().max(LIMITS.passwordMax),
});
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;

export const deleteAccountBody = z.object({ password: z.string().max(LIMITS.passwordMax) });
export type DeleteAccountBody = z.infer<typeof deleteAccountBody>;

/** 1–255 printable ASCII characters (RFC 9110 visible characters and space). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

// ---------------------------------------------------------------------------------------------
// Response bodies
export type AuthResponse = { user: User };
export type ProfileResponse = { user: UserProfile };
export type FollowResponse = { following: boolean; followerCount: number };
export type UserListResponse = { users: UserSummary[]; pagination: Pagination };
/** Followers and following carry the viewer's own follow state, for the list's follow buttons. */
export type FollowListResponse = { users: (UserSummary & { isFollowing: boolean })[]; pagination: Pagination };
export type SearchUser = UserSummary & { isFollowing: boolean; mutualFriendCount: number };
export type SearchResponse = { users: SearchUser[] };
export type SuggestedUser = UserSummary & { mutualFriendCount: number; reason: "mutual_friends" | "popular" };
export type SuggestionsResponse = { users: SuggestedUser[] };
export type BlockResponse = { blocked: boolean };
export type MuteResponse = { muted: boolean };
export type PostResponse = { post: Post };
export type MediaResponse = { media: Media };
export type LikeResponse = { liked: boolean; likeCount: number };
export type CommentListResponse = { comments: Comment[]; pagination: Pagination };
export type CommentResponse = { comment: Comment };
export type DeletedResponse = { deleted: true };
export type NotificationListResponse = { notifications: Notification[]; unreadCount: number; pagination: Pagination };
export type ReadNotificationsResponse = { unreadCount: number };

// ---------------------------------------------------------------------------------------------
// WebSocket messages
export const clientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping"), requestId: z.string().max(128).optional(), payload: z.unknown().optional() }),
  z.object({
    type: z.literal("subscribe_feed"),
    requestId: z.string().max(128).optional(),
    payload: z.object({ userId: z.string().min(1).max(64) }),
  }),
  z.object({
    type: z.literal("unsubscribe_feed"),
    requestId: z.string().max(128).optional(),
    payload: z.object({ userId: z.string().min(1).max(64) }),
  }),
  z.object({
    type: z.literal("watch_posts"),
    requestId: z.string().max(128).optional(),
    payload: z.object({ postIds: z.array(z.string().min(1).max(64)).max(LIMITS.watchPostsMax) }),
  }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;
/** The client message types, read from the validator itself (no list kept by hand). */
export const CLIENT_MESSAGE_TYPES: readonly ClientMessage["type"][] = clientMessage.options.map((o) => o.shape.type.value);

export type EngagementField = "likeCount" | "commentCount" | "shareCount";
/** The counts of a comment that `engagement_update` carries (with `commentId`). */
export type CommentEngagementField = "likeCount" | "replyCount";

/**
 * `engagement_update`: a post's count, or, with `commentId`, a count of one of its comments.
 */
export type EngagementUpdate =
  | { postId: string; field: EngagementField; delta: number; newValue: number }
  | { postId: string; commentId: string; field: CommentEngagementField; delta: number; newValue: number };

/**
 * `notification`: a new or grown group (`notification`), or only a changed unread count
 * (`notification: null`): the group `removedId` disappeared (its actors undid what they did), or
 * notifications were read in another tab.
 */
export type NotificationMessage =
  | { notification: Notification; unreadCount: number }
  | { notification: null; unreadCount: number; removedId?: string };

export type ServerMessage =
  | { type: "connection_ack"; payload: { clientId: string }; timestamp: string; correlationId?: string }
  | { type: "pong"; payload: Record<string, never>; timestamp: string; correlationId?: string }
  | { type: "new_post"; payload: { post: Post }; timestamp: string; correlationId?: string }
  | { type: "engagement_update"; payload: EngagementUpdate; timestamp: string; correlationId?: string }
  | { type: "notification"; payload: NotificationMessage; timestamp: string; correlationId?: string }
  | { type: "post_update"; payload: { post: Post } | { postId: string; deleted: true }; timestamp: string; correlationId?: string }
  | { type: "subscribed"; payload: { userId: string }; timestamp: string; correlationId?: string }
  | { type: "unsubscribed"; payload: { userId: string }; timestamp: string; correlationId?: string }
  | { type: "watching"; payload: { count: number }; timestamp: string; correlationId?: string }
  | { type: "error"; payload: { code: string; message: string }; timestamp: string; correlationId?: string };
