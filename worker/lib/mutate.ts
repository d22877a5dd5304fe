/**
 * Every mutation goes to the acting user's own UserFeed object, which runs it under the
 * idempotency key (API.md: scoped per user and route, kept 24 hours) and applies its effects.
 */
import type { Context } from "hono";
import { IDEMPOTENCY_KEY_PATTERN } from "../../schema/api";
import { ApiError, type Outcome } from "../../core/errors";
import { jsonEnvelope } from "./envelope";
import type { IdempotencyInput, MutationOp } from "../../core/ops/types";
import type { AppEnv } from "../types";
import { canonicalJson, sha256Hex } from "./crypto";
import { viewerOf } from "./session";
import { rememberBookmark } from "./d1";

/** `X-Idempotency-Key`, or the IETF draft's `Idempotency-Key`. */
function readIdempotencyKey(c: Context<AppEnv>, required: boolean): string | null {
  const key = c.req.header("x-idempotency-key") ?? c.req.header("idempotency-key");
  if (key === undefined) {
    if (required) throw new ApiError(400, "MISSING_IDEMPOTENCY_KEY", "This request needs an X-Idempotency-Key header.");
    return null;
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(key))
    throw new ApiError(400, "INVALID_IDEMPOTENCY_KEY", "X-Idempotency-Key must be 1 to 255 printable ASCII characters.");
  return key;
}

/** What identifies a request for its idempotency record: the op, with an upload's bytes named by their SHA-256 (op.image.sha256) rather than spelled out. */
const fingerprint = (op: MutationOp) => (op.kind === "uploadMedia" ? { ...op, bytes: undefined } : op);

export interface MutateOptions {
  /** The route needs X-Idempotency-Key (API.md: posts, comments, shares). */
  requireKey?: boolean;
  /**
   * false: the key header is accepted and ignored. For the account's own changes (a new password,
   * deletion): their requests carry passwords, which are never hashed into a stored record, and a
   * repeat after success already fails its own check (the old password, the gone session).
   */
  keyed?: boolean;
}

/**
 * Runs `op` in the viewer's UserFeed under the request's idempotency key; the outcome, not yet an
 * envelope. Behind requireViewer only the cookie was checked: the object checks its session.
 */
export async function runOp(c: Context<AppEnv>, op: MutationOp, options: MutateOptions = {}): Promise<Outcome> {
  const claim = c.get("claim");
  const viewer = c.get("viewer") ?? (claim ? { id: claim.userId } : viewerOf(c));
  // The object checks the session even when the worker did (requireSession, which keeps the
  // claim): it learns of a log-out at once, where the worker's lookup may have read a replica.
  const tokenHash = claim?.tokenHash ?? null;
  const key = options.keyed === false ? null : readIdempotencyKey(c, options.requireKey ?? false);
  let idempotency: IdempotencyInput | null = null;
  if (key !== null) {
    // The op holds the path's ids and the validated body: equal ops are equal requests.
    idempotency = { scope: `${c.req.method} ${c.req.path}`, key, requestHash: await sha256Hex(canonicalJson(fingerprint(op))) };
  }
  const outcome = await c.env.USER_FEED.getByName(viewer.id).mutate(op, idempotency, c.get("requestId"), tokenHash);
  // The browser's next reads in this worker start from the viewer's newest bookmark (lib/d1.ts).
  if (outcome.ok) await rememberBookmark(c, outcome.bookmark);
  return outcome;
}

export async function mutate(c: Context<AppEnv>, op: MutationOp, options: MutateOptions = {}) {
  return jsonEnvelope(c, await runOp(c, op, options));
}
