/**
 * Idempotency records for one user (API.md: scoped per user and route, kept 24 hours).
 *
 * Invariants:
 * - A record is written `pending`, with the id its mutation will create, before the mutation
 *   touches D1; the output gate makes it durable first. A retry after a crash finds it and re-runs
 *   the mutation with the same id, which D1 ignores if it already landed: exactly one post.
 * - A `done` record replays the first response: same status, same body.
 * - The same key with a different request hash is refused (422), pending or done.
 * - Concurrent requests with one key share the in-memory promise of the one that runs.
 */
import type { ErrorCode } from "../../schema/api";
import { newId } from "../../schema/ids";
import { ApiError, serializeApiError, type Outcome, type ErrorDetails } from "../../core/errors";

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

export const IDEMPOTENCY_SCHEMA = `
  CREATE TABLE idempotency (
    scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, reserved_id TEXT NOT NULL,
    state TEXT NOT NULL, status INTEGER, body TEXT, created_at INTEGER NOT NULL,
    PRIMARY KEY (scope, key));
  CREATE INDEX idempotency_created ON idempotency (created_at);
`;

type Row = {
  request_hash: string;
  reserved_id: string;
  state: "pending" | "done";
  status: number | null;
  body: string | null;
  created_at: number;
};

export type Begin =
  | { kind: "run"; reservedId: string }
  | { kind: "replay"; status: number; body: unknown }
  | { kind: "reused" };

export class IdempotencyStore {
  constructor(private readonly sql: SqlStorage) {}

  begin(scope: string, key: string, requestHash: string, now: number): Begin {
    const row = this.sql
      .exec<Row>("SELECT request_hash, reserved_id, state, status, body, created_at FROM idempotency WHERE scope = ? AND key = ?", scope, key)
      .toArray()[0];
    if (row && row.created_at > now - IDEMPOTENCY_TTL_MS) {
      if (row.request_hash !== requestHash) return { kind: "reused" };
      if (row.state === "done") return { kind: "replay", status: row.status ?? 200, body: JSON.parse(row.body ?? "null") };
      return { kind: "run", reservedId: row.reserved_id };
    }
    const reservedId = newId(now);
    this.sql.exec(
      `INSERT INTO idempotency (scope, key, request_hash, reserved_id, state, created_at) VALUES (?, ?, ?, ?, 'pending', ?)
       ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, reserved_id = excluded.reserved_id,
         state = 'pending', status = NULL, body = NULL, created_at = excluded.created_at`,
      scope,
      key,
      requestHash,
      reservedId,
      now,
    );
    return { kind: "run", reservedId };
  }

  complete(scope: string, key: string, status: number, body: unknown): void {
    this.sql.exec("UPDATE idempotency SET state = 'done', status = ?, body = ? WHERE scope = ? AND key = ?", status, JSON.stringify(body), scope, key);
  }

  /** Forget a key whose request should be retryable (rate-limited, or failed on our side). */
  forget(scope: string, key: string): void {
    this.sql.exec("DELETE FROM idempotency WHERE scope = ? AND key = ?", scope, key);
  }

  expire(now: number): number {
    return this.sql.exec("DELETE FROM idempotency WHERE created_at <= ?", now - IDEMPOTENCY_TTL_MS).rowsWritten;
  }

  oldestCreatedAt(): number | null {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(created_at) AS t FROM idempotency").one().t;
  }

  summary(limit = 10) {
    const count = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM idempotency").one().n;
    const newest = this.sql
      .exec<{ scope: string; key: string; state: string; status: number | null; created_at: number }>(
        "SELECT scope, key, state, status, created_at FROM idempotency ORDER BY created_at DESC LIMIT ?",
        limit,
      )
      .toArray()
      .map((r) => ({ scope: r.scope, key: r.key, state: r.state, status: r.status, createdAt: r.created_at, expiresAt: r.created_at + IDEMPOTENCY_TTL_MS }));
    return { count, newest };
  }
}

/** The stored first response (an envelope) as a replayed Outcome. */
export function replayOf(status: number, stored: unknown): Outcome {
  const envelope = stored as { success: boolean; data?: unknown; error?: { code: ErrorCode; message: string; details?: ErrorDetails } };
  if (envelope.success) return { ok: true, replayed: true, status, json: JSON.stringify(envelope.data) };
  const error = new ApiError(status as ApiError["status"], envelope.error!.code, envelope.error!.message, envelope.error!.details);
  return { ok: false, replayed: true, error: serializeApiError(error) };
}
