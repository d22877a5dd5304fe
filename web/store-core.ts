/** The store's shared vocabulary (web/store.ts and its parts): actions, transport, messages. */
import type { Comment, EngagementField, Post, Privacy } from "../schema/api";

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; code: string; message: string };

/** The transport the store uses; the browser's one retries with backoff (web/lib/api.ts). */
export interface ApiPort {
  call<T>(method: string, path: string, body?: unknown, key?: string): Promise<ApiResult<T>>;
  newKey(): string;
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
  body?: { content: string; imageUrl: string | null; privacy: Privacy };
}

export interface CommentsState {
  open: boolean;
  loaded: boolean;
  loading: boolean;
  items: Comment[];
  cursor: string | null;
  hasMore: boolean;
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
  UNAUTHENTICATED: "Your session ended. Sign in again.",
  NETWORK: "You seem to be offline. Try again when you're back online.",
};
export function errorText(code: string, fallback?: string, more?: Record<string, string>): string {
  return more?.[code] ?? MESSAGES[code] ?? fallback ?? "Something went wrong. Try again.";
}

