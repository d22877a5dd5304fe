/**
 * Mutations as data. The worker validates a request into a `MutationOp` and hands it to the
 * viewer's own UserFeed object, which runs it under the idempotency key (the object is the single
 * writer for that user's keys) and applies its effects to its own storage in the same step as the
 * idempotency record.
 */
import type { TimelineEntry } from "../feed/timeline-sources";
import type { CreatePostBody, EngagementField, EngagementUpdate, MediaType, NotificationKind, Post, SharePostBody, UpdateProfileBody, UserSummary } from "../../schema/api";

/** An upload as the edge checked it (core/media/image.ts): the stripped bytes' type, displayed size and SHA-256. */
export interface UploadedImage {
  mimeType: MediaType;
  width: number;
  height: number;
  /** Hex SHA-256 of `bytes`: what the idempotency record compares (worker/lib/mutate.ts), never the bytes themselves. */
  sha256: string;
}

export type MutationOp =
  | { kind: "createPost"; body: CreatePostBody }
  | { kind: "editPost"; postId: string; content: string }
  | { kind: "deletePost"; postId: string }
  | { kind: "like"; postId: string }
  | { kind: "unlike"; postId: string }
  | { kind: "comment"; postId: string; content: string; parentId: string | null }
  | { kind: "editComment"; commentId: string; content: string }
  | { kind: "deleteComment"; commentId: string }
  | { kind: "likeComment"; commentId: string }
  | { kind: "unlikeComment"; commentId: string }
  | { kind: "readNotifications"; upTo: string | null }
  | { kind: "share"; postId: string; body: SharePostBody }
  | { kind: "follow"; username: string }
  | { kind: "unfollow"; username: string }
  | { kind: "updateProfile"; body: UpdateProfileBody }
  | { kind: "uploadMedia"; image: UploadedImage; bytes: Uint8Array }
  | { kind: "block"; username: string }
  | { kind: "unblock"; username: string }
  | { kind: "mute"; username: string }
  | { kind: "unmute"; username: string }
  | { kind: "dismissSuggestion"; username: string }
  /** The worker checked the current password and hashed the new one (never sent to an object in clear). */
  | { kind: "changePassword"; passwordHash: string; keepSession: string }
  /** Sign out everywhere: every session of the user ends, this one included. */
  | { kind: "endAllSessions" }
  /** The worker checked the password. The account becomes absent at once; its rows are erased in the background. */
  | { kind: "deleteAccount" };

/** What a mutation changed that objects (not D1) must learn about. */
export type MutationEffect =
  /** The viewer wrote a post: own timeline entry + fan-out job (push or celebrity outbox). */
  | { type: "authored"; post: Post; celebrity: boolean }
  /** The viewer deleted a post: it leaves every feed. */
  | { type: "deleted"; postId: string; privacy: Post["privacy"] }
  /** The viewer edited a post: watchers get post_update. */
  | { type: "edited"; post: Post }
  /** A count changed on someone's post (or on a comment of it): the post author's object tells the viewers watching it. */
  | { type: "engagement"; authorId: string; privacy: Post["privacy"]; update: EngagementUpdate }
  /** The acting user's likes and comments on `authorId`'s posts moved by `delta` (their object keeps the count: ranking affinity). */
  | { type: "interacted"; authorId: string; delta: number }
  /** Something for `recipientId`'s notifications (core/notices.ts builds these; core/notify-rules.ts decides who). */
  | { type: "notify"; recipientId: string; notice: Notice }
  /** This user read notifications: the other tabs' badges follow. */
  | { type: "notificationsRead"; unreadCount: number }
  /** `followeeIsPullSource`: its posts are pulled, not backfilled; `followeeIsCelebrity`: lease it while online. */
  /** `backfill`: the followee's posts for the follower's timeline, read in the follow's own batch (absent: read them after). */
  | { type: "followed"; followeeId: string; followeeIsPullSource: boolean; followeeIsCelebrity: boolean; nowFriends: boolean; backfill?: TimelineEntry[] }
  | { type: "unfollowed"; followeeId: string }
  /** Uploads of this user may become removable at `at` (never posted, or their post or avatar role gone): run the media sweep then. */
  | { type: "mediaSweepDue"; at: number }
  /** The viewer blocked `otherId`: the follows both ways ended; each leaves the other's timeline, screens and leases. */
  | { type: "blocked"; otherId: string; otherIsPullSource: boolean; selfIsPullSource: boolean }
  /** Sessions ended in D1 (all but `keep`, or all when null): the object forgets them and closes their sockets (4001). */
  | { type: "sessionsEnded"; keep: string | null }
  /**
   * The account was deleted: D1 already shows it nowhere (counts corrected, sessions gone). The
   * object queues the erasure (durable-objects/user-feed/erasure.ts): `followers` are the active
   * followers whose timelines may hold its posts; `celebrities` the pull sources it followed
   * (their CelebrityFeeds release its lease).
   */
  | { type: "accountDeleted"; followers: string[]; celebrities: string[] };

/**
 * What an actor tells a recipient's object about its notifications (durable-objects/user-feed/
 * notifications.ts keeps them):
 * - add: `actor` did `kind` to `target` (a post id, a comment id, or a UTC day for follows);
 *   `ref` names the thing that did it (the like's post, the comment, the share), so it can be undone;
 * - undo: the actor took it back (unlike, unfollow, a mention edited out): out of unread groups;
 * - gone: these posts or comments were deleted: whatever they caused or concern goes, read or not.
 */
export type Notice =
  | { op: "add"; kind: NotificationKind; target: string; ref: string; postId?: string; commentId?: string; preview?: string; actor: UserSummary; at: number }
  | { op: "undo"; kinds: NotificationKind[]; actorId: string; refs: string[] }
  | { op: "gone"; ids: string[] };

/**
 * Object-local state an op may use (given by the acting user's UserFeed; absent elsewhere):
 * marking notifications read lives in the object's storage, not in D1.
 */
export interface LocalPort {
  /** Marks read up to `upTo` (all when null); null when `upTo` names no notification. */
  markNotificationsRead(upTo: string | null): { unreadCount: number } | null;
  /** What a follow's backfill may add to the timeline: posts from `from` (its horizon) up, at most `cap`. */
  timelineWindow(): { from: string; cap: number };
}

export interface MutationResult {
  status: number;
  body: unknown;
  effects: MutationEffect[];
}

export interface IdempotencyInput {
  /** Method and concrete path, e.g. `POST /api/v1/posts/01J.../comments`. */
  scope: string;
  key: string;
  /** SHA-256 of the canonical request body. */
  requestHash: string;
}


