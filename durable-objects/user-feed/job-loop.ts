/**
 * The alarm's job loop: the due jobs, oldest first, one batch at a time, until none is due or the
 * time budget is spent (progress is saved per batch either way, so yielding loses nothing). A
 * failing batch is retried with backoff (jobs.ts); no job is ever dropped.
 */
import { log } from "../../core/log";
import { runErasureBatch } from "./erasure";
import { runJobBatch } from "./fanout";
import type { FeedHost } from "./host";
import { runMediaSweep } from "./media-sweep";

/** Alarm work per invocation before yielding. */
const ALARM_BUDGET_MS = 15_000;

/** "erased": the account's erasure finished and this object's storage is gone (touch nothing more). */
export async function runDueJobs(host: FeedHost, wipeStorage: () => Promise<void>): Promise<"done" | "erased"> {
  const started = Date.now();
  while (Date.now() - started < ALARM_BUDGET_MS) {
    const job = host.jobs.nextDue(Date.now());
    if (!job) break;
    try {
      if (job.kind === "erase") {
        if ((await runErasureBatch({ ...host, wipeStorage }, job)) === "erased") return "erased";
      } else if (job.kind === "media_sweep") await runMediaSweep(host.env, host.userId, host.jobs, job);
      else await runJobBatch(host.env, host.config, host.userId, host.jobs, job, host.deliveryLimit);
    } catch (error) {
      log("error", "job batch failed", { userId: host.userId, jobId: job.id, kind: job.kind, error: String(error) });
      host.jobs.fail(job.id, error, Date.now());
    }
  }
  return "done";
}
