/**
 * The store's shared vocabulary (web/store.ts and its parts): the boot state, actions, transport,
 * messages. Every shape the API defines comes from schema/api.ts; what is declared here is the
 * client's own.
 */
import type {
  Comment,
  CommentListResponse,
  CreatePostBody,
  EngagementField,
  FeedQuery,
  FeedResponse,
  FollowListResponse,
  NotificationListResponse,
  Pagination,
  Post,
  PostMedia,
  SuggestedUser,
  UserListResponse,
  UserProfile,
  UserSummary,
} from "../schema/api";

export type FeedMode = FeedQuery["mode"];
export type Page = "home" | "profile" | "post" | "notifications" | "people" | "settings" | "login" | "signup" | "shell" | "missing";

/** A followers or following page: whose, which, and its first page. */
export interface PeopleBoot {
  kind: "followers" | "following";
  user: UserProfile;
  list: FollowListResponse;
}

/** The settings page's lists (undo for blocks and mutes). */
export interface SettingsBoot {
  blocks: UserListResponse;
  mutes: UserListResponse;
}
export type SocketStatus = "connecting" | "open" | "closed";

/** The signed-in reader. */
export type Me = UserSummary;

/** What the server embeds in the page (and the offline shell rebuilds from the cache). */
export interface BootState {
  page: Page;
  viewer: Me | null;
  now: number;
  mode: FeedMode;
  feed?: FeedResponse;
  profile?: UserProfile;
  /** The signed-in reader's unread notifications, for the top bar's badge. */
  unreadCount?: number;
  /** The /notifications page's first page. */
  notifications?: NotificationListResponse;
  /** The /post/:id page: its top-level comments and the first replies of each, all open. */
  thread?: { comments: CommentListResponse; replies: Record<string, CommentListResponse> };
  /** People you may know, embedded when the home feed is empty (a new user's first screen). */
  suggestions?: SuggestedUser[];
  people?: PeopleBoot;
  settings?: SettingsBoot;
  offline?: boolean;
  /** Why a sign-in or sign-up form posted without script failed (the page re-rendered by the worker). */
  authError?: { code: string; message: string };
}

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; code: string; message: string; details?: Record<string, unknown> };

/** The transport the store uses; the browser's one retries with backoff (web/lib/api.ts). */
export interface ApiPort {
  call<T>(method: string, path: string, body?: unknown, key?: string): Promise<ApiResult<T>>;
  newKey(): string;
}

/**
 * A post as the composer makes it, with the defaults filled in: what `POST /api/v1/posts` gets,
 * except that `media` holds the uploads as shown (sizes, url, alt), so the post can be drawn at
 * once and again after a reload from the outbox mirror; the request carries only `{id, alt}`.
 */
export type PostBody = Required<Pick<CreatePostBody, "content" | "imageUrl" | "privacy">> & { media: PostMedia[] };

/** A post written offline, waiting in the service worker's outbox (mirrored in localStorage). */
export interface QueuedPost {
  key: string;
  body: PostBody;
  at: number;
}


/**
 * A list of comments as loaded so far: a post's top-level comments, or one comment's replies
 * (`nextCursor`/`hasMore`: the last page's pagination). `items` are comment ids (web/store-comments.ts
 * keeps one signal per comment).
 */
export interface CommentsState extends Pagination {
  open: boolean;
  loaded: boolean;
  loading: boolean;
  items: string[];
}



export interface Pending {
  id: number;
  key: string;
  kind: "like" | "unlike" | "comment" | "uncomment" | "share" | "post";
  postId: string;
  field?: EngagementField;
  /** The values this action replaced, restored on failure. */
  original: Partial<Post>;
  /** The newest server value seen for `field` while this action was pending. */
  server?: number;
  /** A post sent to the service worker's outbox (offline), waiting for the network. */
  queued?: boolean;
  body?: PostBody;
}

export const TEMP_PREFIX = "tmp_";
export const isTemp = (id: string) => id.startsWith(TEMP_PREFIX);

const MESSAGES: Record<string, string> = {
  RATE_LIMITED: "Too many requests. Wait a minute and try again.",
  EMPTY_POST: "Write something or add an image first.",
  CONTENT_TOO_LONG: "Posts are limited to 5,000 characters.",
  INVALID_IMAGE_URL: "Image links must start with http:// or https://.",
  INVALID_MEDIA: "An image could not be attached: it may have been removed (uploads are kept 24 hours). Add it again.",
  INVALID_IMAGE: "That file isn't an image we can read.",
  UNSUPPORTED_MEDIA_TYPE: "Only JPEG, PNG, WebP and GIF images (and photos the browser can convert) can be added.",
  PAYLOAD_TOO_LARGE: "That image is too large (10 MB at most).",
  POST_NOT_FOUND: "That post is no longer available.",
  COMMENT_NOT_FOUND: "That comment is no longer available.",
  FORBIDDEN: "You can't do that.",
  USER_NOT_FOUND: "No such user.",
  CANNOT_FOLLOW_SELF: "You can't follow yourself.",
  CANNOT_BLOCK_SELF: "You can't block yourself.",
  CANNOT_MUTE_SELF: "You can't mute yourself.",
  INVALID_CREDENTIALS: "That password isn't right.",
  WEAK_PASSWORD: "Choose a stronger password: at least 8 characters, not a common one, not your username.",
  UNAUTHENTICATED: "Your session ended. Sign in again.",
  NETWORK: "You seem to be offline. Try again when you're back online.",
};
export function errorText(code: string, fallback?: string, more?: Record<string, string>): string {
  return more?.[code] ?? MESSAGES[code] ?? fallback ?? "Something went wrong. Try again.";
}
