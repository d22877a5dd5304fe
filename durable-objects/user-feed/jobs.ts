/**
 * Durable fan-out jobs of the posts this user wrote. A job row is written in the same storage
 * transaction as the post's idempotency record, so a crash after the response never loses it.
 * The alarm works through jobs batch by batch, saving the cursor after each; delivery is
 * at-least-once and the timeline insert is idempotent, so every recipient gets a post once.
 * A failing batch is retried with backoff by re-arming the alarm; no job is ever dropped.
 */
/**
 * push: timeline deliveries; outbox: one celebrity write; retract: a delete; update: an edit's
 * post_update; media_sweep: removing this user's uploads that may go (user-feed/media-sweep.ts);
 * erase: the deleted account's erasure (user-feed/erasure.ts, post_id = the user).
 */
export type JobKind = "push" | "outbox" | "retract" | "update" | "media_sweep" | "erase";

export const JOBS_SCHEMA = `
  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, post_id TEXT NOT NULL, payload TEXT NOT NULL,
    cursor TEXT NOT NULL DEFAULT '', delivered INTEGER NOT NULL DEFAULT 0, batches INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, next_run_at INTEGER NOT NULL, created_at INTEGER NOT NULL);
  CREATE INDEX jobs_next_run ON jobs (next_run_at);
`;

export interface Job {
  id: number;
  kind: JobKind;
  postId: string;
  payload: unknown;
  cursor: string;
  delivered: number;
  batches: number;
  attempts: number;
  lastError: string | null;
  nextRunAt: number;
  createdAt: number;
}

type JobRow = {
  id: number;
  kind: JobKind;
  post_id: string;
  payload: string;
  cursor: string;
  delivered: number;
  batches: number;
  attempts: number;
  last_error: string | null;
  next_run_at: number;
  created_at: number;
};

const toJob = (r: JobRow): Job => ({
  id: r.id,
  kind: r.kind,
  postId: r.post_id,
  payload: JSON.parse(r.payload),
  cursor: r.cursor,
  delivered: r.delivered,
  batches: r.batches,
  attempts: r.attempts,
  lastError: r.last_error,
  nextRunAt: r.next_run_at,
  createdAt: r.created_at,
});

export class JobQueue {
  constructor(private readonly sql: SqlStorage) {}

  enqueue(kind: JobKind, postId: string, payload: unknown, now: number): void {
    this.sql.exec("INSERT INTO jobs (kind, post_id, payload, next_run_at, created_at) VALUES (?, ?, ?, ?, ?)", kind, postId, JSON.stringify(payload), now, now);
  }

  /**
   * A job of `kind` that will run at `at` at the latest (the media sweep: one per user, whatever
   * the number of uploads waiting for it). A job of that kind not yet due is moved earlier if need
   * be; otherwise one is added, even when one is due or running now: that one may have read D1
   * before the change that asks for this run, so it cannot stand in for it.
   */
  ensure(kind: JobKind, at: number, now: number): void {
    const waiting = this.sql
      .exec<{ id: number; next_run_at: number }>("SELECT id, next_run_at FROM jobs WHERE kind = ? AND next_run_at > ? ORDER BY next_run_at LIMIT 1", kind, now)
      .toArray()[0];
    if (!waiting) this.sql.exec("INSERT INTO jobs (kind, post_id, payload, next_run_at, created_at) VALUES (?, '', '{}', ?, ?)", kind, at, now);
    else if (waiting.next_run_at > at) this.sql.exec("UPDATE jobs SET next_run_at = ? WHERE id = ?", at, waiting.id);
  }

  /** Runs a job again now (a sweep that removed a full batch), its progress kept. */
  again(id: number, now: number): void {
    this.sql.exec("UPDATE jobs SET next_run_at = ?, batches = batches + 1, attempts = 0, last_error = NULL WHERE id = ?", now, id);
  }

  /** The oldest job that is due. */
  nextDue(now: number): Job | null {
    const row = this.sql.exec<JobRow>("SELECT * FROM jobs WHERE next_run_at <= ? ORDER BY id LIMIT 1", now).toArray()[0];
    return row ? toJob(row) : null;
  }

  nextRunAt(): number | null {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(next_run_at) AS t FROM jobs").one().t;
  }

  /** After a batch: where the next starts, and (optionally) the job's payload as it now stands. */
  saveProgress(id: number, cursor: string, deliveredInBatch: number, payload?: unknown): void {
    this.sql.exec(
      "UPDATE jobs SET cursor = ?, payload = COALESCE(?, payload), delivered = delivered + ?, batches = batches + 1, attempts = 0, last_error = NULL WHERE id = ?",
      cursor,
      payload === undefined ? null : JSON.stringify(payload),
      deliveredInBatch,
      id,
    );
  }

  finish(id: number): void {
    this.sql.exec("DELETE FROM jobs WHERE id = ?", id);
  }

  /** Drops every job (an account's deletion: the erasure replaces them). */
  clear(): void {
    this.sql.exec("DELETE FROM jobs");
  }

  /** Exponential backoff from 1 s up to 5 minutes. */
  fail(id: number, error: unknown, now: number): void {
    const attempts = this.sql.exec<{ attempts: number }>("UPDATE jobs SET attempts = attempts + 1 WHERE id = ? RETURNING attempts", id).toArray()[0]?.attempts ?? 1;
    const delay = Math.min(300_000, 1000 * 2 ** (attempts - 1));
    this.sql.exec("UPDATE jobs SET last_error = ?, next_run_at = ? WHERE id = ?", String(error).slice(0, 500), now + delay, id);
  }

  list(): Job[] {
    return this.sql.exec<JobRow>("SELECT * FROM jobs ORDER BY id").toArray().map(toJob);
  }
}
