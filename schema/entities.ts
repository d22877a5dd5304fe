/** The contract's entities (API.md): users, posts, comments, notifications, media. Re-exported by schema/api.ts. */
export type PostType = "text" | "image" | "video" | "link" | "share";
export type Privacy = "public" | "friends";

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  isCelebrity: boolean;
}

export interface User extends UserSummary {
  bio: string | null;
  followerCount: number;
  followingCount: number;
  createdAt: string;
}

export interface UserProfile extends User {
  isFollowing: boolean;
  isFollowedBy: boolean;
  /** The viewer has muted this user (their posts are kept out of the viewer's home feed). */
  isMuted: boolean;
  /** Users the viewer and this user both count as friends (mutual follows with each), at most 20. */
  mutualFriends: UserSummary[];
  mutualFriendCount: number;
}

/** The image types an upload may be (decided by the bytes' own signature, never by a header or a name). */
export const MEDIA_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** An upload as POST /media answers it: `url` is a path (`/media/:id`), `mimeType` the type it is stored as. */
export interface Media {
  id: string;
  url: string;
  width: number;
  height: number;
  mimeType: MediaType;
}

/** An image of a post, in order; `alt` is "" when the poster wrote none. */
export interface PostMedia {
  id: string;
  url: string;
  width: number;
  height: number;
  alt: string;
}

/** A post without an embedded share: what `sharedPost` holds (shares never nest). */
export interface BasePost {
  id: string;
  authorId: string;
  author: UserSummary;
  content: string;
  /** The first of `media`'s urls when the post has media (for clients that know only this field). */
  imageUrl: string | null;
  media: PostMedia[];
  postType: PostType;
  privacy: Privacy;
  likeCount: number;
  commentCount: number;
  shareCount: number;
  isLiked: boolean;
  createdAt: string;
  updatedAt: string;
  /** The `@username`s in `content` that the server resolved to accounts (only these are links). */
  mentions: UserSummary[];
}

export interface Post extends BasePost {
  /** On a share: the original as the viewer may see it; null when it was deleted or is hidden. */
  sharedPost?: BasePost | null;
}

/**
 * The seed's comment plus threads: `parentId` is null for a top-level comment, else the top-level
 * comment it answers (one level: a reply to a reply answers the same top-level comment).
 */
export interface Comment {
  id: string;
  postId: string;
  userId: string;
  user: UserSummary;
  content: string;
  likeCount: number;
  isLiked: boolean;
  parentId: string | null;
  replyCount: number;
  mentions: UserSummary[];
  createdAt: string;
  updatedAt: string;
}

export const NOTIFICATION_KINDS = ["like", "comment", "reply", "share", "mention", "follow", "friend", "comment_like"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * One notification: while unread, a group of actors who did one kind of thing to one target
 * ("Ada and 3 others liked your post"); follows group per UTC day.
 */
export interface Notification {
  id: string;
  kind: NotificationKind;
  /** Newest first, at most LIMITS.notificationActorsShown. */
  actors: UserSummary[];
  actorCount: number;
  postId?: string;
  /** The comment concerned: the newest comment or reply of the group, or the liked or mentioning comment. */
  commentId?: string;
  /** At most LIMITS.notificationPreviewMax characters of the text concerned. */
  preview?: string;
  read: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Pagination {
  nextCursor: string | null;
  hasMore: boolean;
}

export interface FeedResponse {
  posts: Post[];
  pagination: Pagination & { newestCursor: string | null };
}

export interface FeedUpdatesResponse {
  posts: Post[];
  newestCursor: string;
  reload?: true;
}
