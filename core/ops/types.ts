/**
 * Mutations as data. The worker validates a request into a `MutationOp` and hands it to the
 * viewer's own UserFeed object, which runs it under the idempotency key (the object is the single
 * writer for that user's keys) and applies its effects to its own storage in the same step as the
 * idempotency record.
 */
import type { CreatePostBody, EngagementField, MediaType, Post, SharePostBody, UpdateProfileBody } from "../../schema/api";

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
  | { kind: "comment"; postId: string; content: string }
  | { kind: "share"; postId: string; body: SharePostBody }
  | { kind: "follow"; username: string }
  | { kind: "unfollow"; username: string }
  | { kind: "updateProfile"; body: UpdateProfileBody }
  | { kind: "uploadMedia"; image: UploadedImage; bytes: Uint8Array };

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
  /** Uploads of this user may become removable at `at` (never posted, or their post or avatar role gone): run the media sweep then. */
  | { type: "mediaSweepDue"; at: number };

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


