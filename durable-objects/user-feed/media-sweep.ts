/**
 * The media sweep: this user's durable job that removes the uploads that may go (a deleted post's
 * images, uploads never posted for 24 hours, a replaced avatar past its 24 hours), bytes from R2
 * first, then rows (core/media/records.ts `sweepOwnerMedia`). One job per user waits at a time
 * (JobQueue.ensure): each upload moves it to when its 24 hours end, a delete to now. A run that
 * removed a full batch runs again at once; one that saw uploads still within their hours ends and
 * asks for a run when the first of them is due; a failure throws, and the queue retries it with
 * backoff like any fan-out batch. Removing twice is harmless, so a duplicate run costs only a query.
 */
import { writeSession } from "../../core/d1";
import { log } from "../../core/log";
import { sweepOwnerMedia } from "../../core/media/records";
import type { Job, JobQueue } from "./jobs";

export async function runMediaSweep(env: Env, userId: string, jobs: JobQueue, job: Job): Promise<void> {
  const started = Date.now();
  const result = await sweepOwnerMedia(writeSession(env.DB), env.MEDIA, userId, started);
  if (result.more) jobs.again(job.id, Date.now());
  else {
    jobs.finish(job.id);
    if (result.nextDueAt !== null) jobs.ensure("media_sweep", result.nextDueAt, Date.now());
  }
  log("info", "media sweep", { userId, jobId: job.id, removed: result.removed, more: result.more, nextDueAt: result.nextDueAt, durationMs: Date.now() - started });
}
