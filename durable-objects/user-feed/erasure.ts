/**
 * Erasing a deleted account, run by its own UserFeed's alarm like a fan-out job: one row in the
 * jobs table (kind "erase"), a cursor saved after every batch, failures retried with backoff, so
 * it survives any crash and resumes where it stopped. By the time it starts, D1 already shows the
 * account nowhere (core/ops/account.ts); this removes what is stored:
 *
 *   1. timelines  every user whose timeline or screen may hold its posts (the active followers
 *                 D1 named at deletion, and everyone watching or subscribed here) is told
 *                 `forgetUser`: the posts leave the timeline and the open tabs (post_update
 *                 deleted). 250 per batch, 32 calls in flight.
 *   2. celebrity  its CelebrityFeed's storage, if it ever was a pull source (read from its row,
 *                 which step 3 removes last).
 *   3. rows       its posts with the likes and comments others made on them, then its user row,
 *                 from D1 in bounded statements (core/erasure.ts).
 *   4. storage    this object's own storage, alarm included: the last step, so every earlier one
 *                 can resume from the job row until then.
 *
 * A crash between the deletion's D1 batch and the object's commit cannot lose the erasure: a
 * guard job ("check") is stored before the batch runs (`guardDeletion`), replaced by the real
 * one when the deletion commits; if it ever runs, it asks D1 whether the account was deleted and
 * erases it if so (without the followers list, which D1 no longer has: their timelines keep
 * stale ids, which reads drop and trimming removes), or drops itself if not.
 *
 * Extension points (the lead wires these at merge): notifications (issue 11): a step after
 * "timelines" that takes this user out of the notifications it caused in other users' objects
 * (its own notifications go with step 4); media (issue 13): a step before "rows" that deletes its
 * uploads' R2 objects in batches (the media rows then go with a part of core/erasure.ts). A step
 * is a name and one bounded batch; add it to STEPS in order.
 */
import type { D1Access } from "./d1-access";
import { removeOwnerMediaBytes } from "../../core/media/records";
import { DELIVERY_CONCURRENCY, type Config } from "../../core/config";
import { accountState, ERASE_PARTS, eraseRows } from "../../core/erasure";
import { log } from "../../core/log";
import { mapPool } from "../../core/pool";
import type { Audience } from "./audience";
import type { Job, JobQueue } from "./jobs";

export const ERASURE_SCHEMA = "CREATE TABLE erasure_targets (user_id TEXT PRIMARY KEY);";

/** What the erasure needs of its object. */
export interface ErasureHost {
  env: Env;
  d1: D1Access;
  config: Config;
  userId: string;
  jobs: JobQueue;
  audience: Audience;
  targets: ErasureTargets;
  /** Deletes this object's storage and alarm; nothing of it may be touched afterwards. */
  wipeStorage(): Promise<void>;
}

/** The users to tell, stored with the job (a celebrity's can be thousands: not in the job's payload). */
export class ErasureTargets {
  constructor(private readonly sql: SqlStorage) {}

  add(userIds: readonly string[]): void {
    this.sql.exec("INSERT OR IGNORE INTO erasure_targets (user_id) SELECT value FROM json_each(?)", JSON.stringify(userIds));
  }

  page(after: string, limit: number): string[] {
    return this.sql
      .exec<{ user_id: string }>("SELECT user_id FROM erasure_targets WHERE user_id > ? ORDER BY user_id LIMIT ?", after, limit)
      .toArray()
      .map((r) => r.user_id);
  }
}

interface Cursor {
  step: number;
  /** Step 1: the last target told. Step 2: the part of core/erasure.ts being deleted. */
  after: string;
  part: number;
}
interface Payload {
  /** A guard stored before the deletion's D1 batch: erase only if D1 says the account was deleted. */
  check: boolean;
}
/** One bounded batch of a step: the next cursor, or null when the step is done. */
type Step = { name: string; run(host: ErasureHost, cursor: Cursor): Promise<{ next: Cursor | null; count: number }> };

const STEPS: Step[] = [
  {
    name: "timelines",
    async run(host, cursor) {
      const batch = host.targets.page(cursor.after, host.config.fanoutBatchSize);
      const watched = host.audience.watchedBy(batch);
      await mapPool(batch, DELIVERY_CONCURRENCY, (id) => host.env.USER_FEED.getByName(id).forgetUser(host.userId, watched.get(id) ?? []));
      const done = batch.length < host.config.fanoutBatchSize;
      return { next: done ? null : { ...cursor, after: batch[batch.length - 1] }, count: batch.length };
    },
  },
  {
    name: "celebrity",
    async run(host) {
      const pullSource = (await accountState(host.d1.read(), host.userId))?.isPullSource === true;
      if (pullSource) await host.env.CELEBRITY_FEED.getByName(host.userId).erase();
      return { next: null, count: pullSource ? 1 : 0 };
    },
  },
  {
    // The uploads' bytes in R2, 1,000 a batch, by the owner's key prefix (their D1 rows go with
    // the account row's cascade in "rows"; nothing serves them meanwhile: the account is absent).
    name: "media",
    async run(host, cursor) {
      const { removed, more } = await removeOwnerMediaBytes(host.env.MEDIA, host.userId);
      return { next: more ? cursor : null, count: removed };
    },
  },
  {
    name: "rows",
    async run(host, cursor) {
      const { removed, partDone } = await host.d1.writing((db) => eraseRows(db, host.userId, cursor.part));
      if (!partDone) return { next: cursor, count: removed };
      const part = cursor.part + 1;
      return { next: part < ERASE_PARTS.length ? { ...cursor, part } : null, count: removed };
    },
  },
  {
    name: "storage",
    async run(host) {
      await host.wipeStorage();
      return { next: null, count: 1 };
    },
  },
];

const START: Cursor = { step: 0, after: "", part: 0 };
/** How long the guard waits before it asks D1 (the deletion normally replaces it within a second). */
export const DELETION_GUARD_MS = 60_000;

/** Before the deletion's D1 batch: the guard job (see above). */
export function guardDeletion(host: Pick<ErasureHost, "userId" | "jobs">, now: number): void {
  host.jobs.enqueue("erase", host.userId, { check: true } satisfies Payload, now + DELETION_GUARD_MS);
}

/**
 * Queues the erasure (in the storage transaction of the deletion's idempotency record): other jobs
 * are dropped (the guard, and the fan-out of posts nobody may see any more), the targets stored.
 */
export function startErasure(host: Pick<ErasureHost, "userId" | "jobs" | "audience" | "targets">, followers: readonly string[], now: number): void {
  host.jobs.clear();
  host.targets.add([...followers, ...host.audience.everyone()].filter((id) => id !== host.userId));
  host.jobs.enqueue("erase", host.userId, { check: false } satisfies Payload, now);
}

/** Runs one batch of the erasure job; "erased" once the object's storage is gone. */
export async function runErasureBatch(host: ErasureHost, job: Job): Promise<"continue" | "erased"> {
  const started = Date.now();
  if ((job.payload as Payload).check && job.cursor === "") {
    // The primary: a replica behind the deletion's commit must not read as "never happened".
    const account = await accountState(host.d1.write(), host.userId);
    if (account && !account.deleted) {
      host.jobs.finish(job.id); // the deletion never happened
      log("info", "erasure guard dropped", { userId: host.userId, jobId: job.id });
      return "continue";
    }
    host.targets.add(host.audience.everyone().filter((id) => id !== host.userId));
  }
  const cursor: Cursor = job.cursor ? (JSON.parse(job.cursor) as Cursor) : START;
  const step = STEPS[cursor.step];
  const { next, count } = await step.run(host, cursor);
  const last = next === null && cursor.step === STEPS.length - 1;
  log("info", "erasure batch", { userId: host.userId, jobId: job.id, step: step.name, count, done: last, durationMs: Date.now() - started });
  if (last) return "erased";
  host.jobs.saveProgress(job.id, JSON.stringify(next ?? { ...START, step: cursor.step + 1 }), count);
  return "continue";
}
