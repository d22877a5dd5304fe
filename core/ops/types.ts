/**
 * Mutations as data. The worker validates a request into a `MutationOp` and hands it to the
 * viewer's own UserFeed object, which runs it under the idempotency key (the object is the single
 * writer for that user's keys) and applies its effects to its own storage in the same step as the
 * idempotency record.
 */
import type { CreatePostBody, EngagementField, Post, SharePostBody, UpdateProfileBody } from "../../schema/api";

export type MutationOp =
  | { kind: "createPost"; body: CreatePostBody }
  | { kind: "editPost"; postId: string; content: string }
  | { kind: "deletePost"; postId: string }
  | { kind: "like"; postId: string }
  | { kind: "unlike"; postId: string }
  | { kind: "comment"; postId: string; content: string }
  | { kind: "share"; postId: string; body: SharePostBody }
  | { kind: "follow"; username: string }
  | { kind: "unfollow"; username: string }
  | { kind: "updateProfile"; body: UpdateProfileBody }
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
  /** A count changed on someone's post: its author's object tells the viewers watching it. */
  | { type: "engagement"; postId: string; authorId: string; privacy: Post["privacy"]; field: EngagementField; delta: number; newValue: number }
  /** `followeeIsPullSource`: its posts are pulled, not backfilled; `followeeIsCelebrity`: lease it while online. */
  | { type: "followed"; followeeId: string; followeeIsPullSource: boolean; followeeIsCelebrity: boolean; nowFriends: boolean }
  | { type: "unfollowed"; followeeId: string }
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


