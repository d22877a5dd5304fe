/**
 * The response shapes of the HTTP contract as zod schemas: what the OpenAPI document
 * (worker/openapi/) publishes and what the worker tests check every response against.
 *
 * The TypeScript interfaces in ./api.ts stay the readable source that worker/ and web/ import;
 * each schema here is tied to its interface at the type level in both directions (the `Same`
 * checks at the end), so changing one without the other fails `tsc`: the two cannot drift.
 * Output schemas are strict (zod writes `additionalProperties: false` for them), so a field the
 * worker sends but the contract does not name fails the tests too.
 */
import { z } from "zod";
import {
  ERROR_CODES,
  type ApiFailure,
  type AuthResponse,
  type BasePost,
  type Comment,
  type CommentListResponse,
  type CommentResponse,
  type DeletedResponse,
  type FeedResponse,
  type FeedUpdatesResponse,
  type FollowResponse,
  type LikeResponse,
  type FollowListResponse,
  type SearchResponse,
  type SuggestionsResponse,
  type BlockResponse,
  type MuteResponse,
  NOTIFICATION_KINDS,
  type Notification,
  type NotificationListResponse,
  type ReadNotificationsResponse,
  type Media,
  type MediaResponse,
  MEDIA_TYPES,
  type PostMedia,
  type Pagination,
  type Post,
  type PostResponse,
  type ProfileResponse,
  type User,
  type UserListResponse,
  type UserProfile,
  type UserSummary,
} from "./api";

// `examples` are for readers of the document (tools otherwise show 9007199254740991 as a count).
const count = () => z.number().int().min(0).meta({ examples: [3] });
const timestamp = () => z.iso.datetime().meta({ description: "ISO 8601, UTC", examples: ["2026-12-01T18:40:00.000Z"] });
/** Ids sort by creation time (schema/ids.ts); clients treat them as opaque strings. */
const id = () => z.string().meta({ examples: ["01M8SXYWDV3TEGH042YGPD1DXM"] });
const cursor = () => z.string().nullable().describe("Opaque; null when there is nothing further.");

export const errorCodeSchema = z.enum(ERROR_CODES);

export const apiFailureSchema = z.object({
  success: z.literal(false),
  error: z.object({
    code: errorCodeSchema,
    message: z.string().describe("For people; the code is for programs."),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const userSummarySchema = z.object({
  id: id(),
  username: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  isCelebrity: z.boolean().describe("At least CELEBRITY_THRESHOLD followers."),
});

export const userSchema = userSummarySchema.extend({
  bio: z.string().nullable(),
  followerCount: count(),
  followingCount: count(),
  createdAt: timestamp(),
});

export const userProfileSchema = userSchema.extend({
  isFollowing: z.boolean(),
  isFollowedBy: z.boolean(),
  isMuted: z.boolean().describe("The viewer has muted this user (their posts stay out of the viewer's home feed)."),
  mutualFriends: z.array(userSummarySchema).max(20).describe("Friends of both the viewer and this user (at most 20)."),
  mutualFriendCount: count(),
});

export const postMediaSchema = z.object({
  id: id(),
  url: z.string().describe("A path: /media/:id."),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  alt: z.string().describe('"" when the poster wrote none.'),
});

export const mediaSchema = z.object({
  id: id(),
  url: z.string().describe("A path: /media/:id."),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  mimeType: z.enum(MEDIA_TYPES).describe("The type the bytes are stored as."),
});

export const basePostSchema = z.object({
  id: id(),
  authorId: id(),
  author: userSummarySchema,
  content: z.string(),
  imageUrl: z.string().nullable().describe("The first of `media`'s urls when the post has media."),
  media: z.array(postMediaSchema).max(4),
  postType: z.enum(["text", "image", "video", "link", "share"]),
  privacy: z.enum(["public", "friends"]),
  likeCount: count(),
  commentCount: count(),
  shareCount: count(),
  isLiked: z.boolean().describe("Whether the viewer likes it."),
  createdAt: timestamp(),
  updatedAt: timestamp(),
  mentions: z.array(userSummarySchema).describe("The users its `@username`s name (resolved by the server; the rest stays text)."),
});

export const postSchema = basePostSchema.extend({
  sharedPost: basePostSchema.nullable().optional().describe("On a share: the original as the viewer may see it; null when deleted or hidden."),
});

export const commentSchema = z.object({
  id: id(),
  postId: id(),
  userId: id(),
  user: userSummarySchema,
  content: z.string(),
  likeCount: count(),
  isLiked: z.boolean().describe("Whether the viewer likes it."),
  parentId: id().nullable().describe("null, or the top-level comment it answers (threads are one level deep)."),
  replyCount: count(),
  mentions: z.array(userSummarySchema),
  createdAt: timestamp(),
  updatedAt: timestamp(),
});

export const notificationSchema = z.object({
  id: id(),
  kind: z.enum(NOTIFICATION_KINDS),
  actors: z.array(userSummarySchema).max(3).describe("Newest first, at most 3."),
  actorCount: count(),
  postId: id().optional(),
  commentId: id().optional(),
  preview: z.string().max(140).optional().describe("At most 140 characters of the text concerned."),
  read: z.boolean(),
  createdAt: timestamp(),
  updatedAt: timestamp(),
});

export const paginationSchema = z.object({ nextCursor: cursor(), hasMore: z.boolean() });

export const feedResponseSchema = z.object({
  posts: z.array(postSchema),
  pagination: paginationSchema.extend({
    newestCursor: cursor().describe("Pass as `since` to /feed/updates; null on an author's posts."),
  }),
});

export const feedUpdatesResponseSchema = z.object({
  posts: z.array(postSchema),
  newestCursor: z.string(),
  reload: z.literal(true).optional().describe("The gap is older than the timeline holds: reload the first page."),
});

export const authResponseSchema = z.object({ user: userSchema });
export const profileResponseSchema = z.object({ user: userProfileSchema });
export const followResponseSchema = z.object({ following: z.boolean(), followerCount: count() });
export const userListResponseSchema = z.object({ users: z.array(userSummarySchema), pagination: paginationSchema });
const followedUserSchema = userSummarySchema.extend({ isFollowing: z.boolean().describe("Whether the viewer follows them.") });
export const followListResponseSchema = z.object({ users: z.array(followedUserSchema), pagination: paginationSchema });
export const searchUserSchema = followedUserSchema.extend({ mutualFriendCount: count() });
export const searchResponseSchema = z.object({ users: z.array(searchUserSchema).max(20) });
export const suggestedUserSchema = userSummarySchema.extend({ mutualFriendCount: count(), reason: z.enum(["mutual_friends", "popular"]) });
export const suggestionsResponseSchema = z.object({ users: z.array(suggestedUserSchema).max(20) });
export const blockResponseSchema = z.object({ blocked: z.boolean() });
export const muteResponseSchema = z.object({ muted: z.boolean() });
export const postResponseSchema = z.object({ post: postSchema });
export const likeResponseSchema = z.object({ liked: z.boolean(), likeCount: count() });
export const commentListResponseSchema = z.object({ comments: z.array(commentSchema), pagination: paginationSchema });
export const commentResponseSchema = z.object({ comment: commentSchema });
export const mediaResponseSchema = z.object({ media: mediaSchema });
export const notificationListResponseSchema = z.object({ notifications: z.array(notificationSchema), unreadCount: count(), pagination: paginationSchema });
export const readNotificationsResponseSchema = z.object({ unreadCount: count() });
export const deletedResponseSchema = z.object({ deleted: z.literal(true) });
export const emptyResponseSchema = z.object({});
export const healthResponseSchema = z.object({ ok: z.literal(true) });

export type EmptyResponse = z.infer<typeof emptyResponseSchema>;
export type HealthResponse = z.infer<typeof healthResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Each schema is its interface, both ways. A failure here reads "Type 'false' does not satisfy
// the constraint 'true'" on the line of the pair that drifted: change the schema with the type.

/** Exactly the same type (not merely assignable: a missing optional field counts). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Rebuilds a type as plain objects, so `interface X extends Y` and `A & B` compare by their fields. */
type Plain<T> = T extends object ? { [K in keyof T]: Plain<T[K]> } : T;
type Same<Schema extends z.ZodType, Interface> = Equal<Plain<z.infer<Schema>>, Plain<Interface>>;
type Holds<T extends true> = T;

export type ResponseTypesMatchTheirSchemas = [
  Holds<Same<typeof apiFailureSchema, ApiFailure>>,
  Holds<Same<typeof userSummarySchema, UserSummary>>,
  Holds<Same<typeof userSchema, User>>,
  Holds<Same<typeof userProfileSchema, UserProfile>>,
  Holds<Same<typeof basePostSchema, BasePost>>,
  Holds<Same<typeof postSchema, Post>>,
  Holds<Same<typeof commentSchema, Comment>>,
  Holds<Same<typeof paginationSchema, Pagination>>,
  Holds<Same<typeof feedResponseSchema, FeedResponse>>,
  Holds<Same<typeof feedUpdatesResponseSchema, FeedUpdatesResponse>>,
  Holds<Same<typeof authResponseSchema, AuthResponse>>,
  Holds<Same<typeof profileResponseSchema, ProfileResponse>>,
  Holds<Same<typeof followResponseSchema, FollowResponse>>,
  Holds<Same<typeof userListResponseSchema, UserListResponse>>,
  Holds<Same<typeof postResponseSchema, PostResponse>>,
  Holds<Same<typeof likeResponseSchema, LikeResponse>>,
  Holds<Same<typeof commentListResponseSchema, CommentListResponse>>,
  Holds<Same<typeof commentResponseSchema, CommentResponse>>,
  Holds<Same<typeof deletedResponseSchema, DeletedResponse>>,
  Holds<Same<typeof postMediaSchema, PostMedia>>,
  Holds<Same<typeof mediaSchema, Media>>,
  Holds<Same<typeof mediaResponseSchema, MediaResponse>>,
  Holds<Same<typeof followListResponseSchema, FollowListResponse>>,
  Holds<Same<typeof searchResponseSchema, SearchResponse>>,
  Holds<Same<typeof suggestionsResponseSchema, SuggestionsResponse>>,
  Holds<Same<typeof blockResponseSchema, BlockResponse>>,
  Holds<Same<typeof muteResponseSchema, MuteResponse>>,
  Holds<Same<typeof notificationSchema, Notification>>,
  Holds<Same<typeof notificationListResponseSchema, NotificationListResponse>>,
  Holds<Same<typeof readNotificationsResponseSchema, ReadNotificationsResponse>>,
];
