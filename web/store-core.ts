/**
 * The store's shared vocabulary (web/store.ts and its parts): the boot state, actions, transport,
 * messages. Every shape the API defines comes from schema/api.ts; what is declared here is the
 * client's own.
 */
import type {
  Comment,
  CreatePostBody,
  EngagementField,
  FeedQuery,
  FeedResponse,
  FollowListResponse,
  Pagination,
  Post,
  SuggestedUser,
  UserListResponse,
  UserProfile,
  UserSummary,
} from "../schema/api";

export type FeedMode = FeedQuery["mode"];
export type Page = "home" | "profile" | "people" | "settings" | "login" | "signup" | "shell" | "missing";

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

/** A post as the composer sends it to `POST /api/v1/posts`, with the defaults filled in. */
export type PostBody = Required<Pick<CreatePostBody, "content" | "imageUrl" | "privacy">>;

/** A post written offline, waiting in the service worker's outbox (mirrored in localStorage). */
export interface QueuedPost {
  key: string;
  body: PostBody;
  at: number;
}


/** One post's comments as loaded so far (`nextCursor`/`hasMore`: the last page's pagination). */
export interface CommentsState extends Pagination {
  open: boolean;
  loaded: boolean;
  loading: boolean;
  items: Comment[];
}



export interface Pending {
  id: number;
  key: string;
  kind: "like" | "unlike" | "comment" | "share" | "post";
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
  POST_NOT_FOUND: "That post is no longer available.",
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
