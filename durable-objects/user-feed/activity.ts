/**
 * The hourly activity write (fan-out pushes to recently active users only) and what rides along
 * in its round trip: the viewer's interactions per author, read back from D1 to rebuild the
 * object's affinity counts (user-feed/affinity.ts). One batch on the primary: the write must land
 * there anyway, and the counts it reads are then the newest.
 */
import { interactionsByAuthorStatement } from "../../core/feed/ranking";
import { markActiveStatement } from "../../core/users";
import type { MetaStore } from "../migrations";
import type { AffinityStore } from "./affinity";
import type { D1Access } from "./d1-access";

/** How often a reader's activity is written to D1. */
export const ACTIVITY_REFRESH_MS = 3_600_000;

export interface ActivityParts {
  meta: MetaStore;
  d1: D1Access;
  affinity: AffinityStore;
  userId: string;
  activeWindowMs: number;
  /** Rebuilds the timeline from D1 (with the object's concurrency blocked). */
  rebuild(): Promise<unknown>;
}

/**
 * Marks the user active in D1 (at most hourly, or at once when the affinity counts were never
 * built) and recounts the affinity in the same round trip. A user inactive past the activity
 * window was skipped by pushes, so the timeline is rebuilt from D1 first, like Mastodon's feed
 * regeneration. Activity is written before the rebuild reads, so a post is either pushed (the
 * fan-out saw the user active) or read by the rebuild; the insert is idempotent if both.
 */
export async function noteActivity(parts: ActivityParts): Promise<void> {
  const { meta, d1, affinity, userId } = parts;
  const now = Date.now();
  const last = meta.getNumber("lastActiveWrite", 0);
  if (affinity.builtAt !== null && now - last < ACTIVITY_REFRESH_MS) return;
  const token = affinity.startRebuild();
  const [, counted] = await d1.writing((db) => db.batch([markActiveStatement(db, userId, now), interactionsByAuthorStatement(db, userId)]));
  affinity.replace(counted.results as { author_id: string; n: number }[], token, now);
  if (now - last >= parts.activeWindowMs - ACTIVITY_REFRESH_MS) await parts.rebuild();
  meta.set("lastActiveWrite", now);
}
