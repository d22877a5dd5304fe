/**
 * Who is online, as D1 knows it, so a fan-out can deliver to followers with an open socket first
 * (core/fanout.ts) without a call per follower: a user's UserFeed writes `users.online_since` /
 * `online_until` when a socket connects, renews it with its leases while sockets stay open, and
 * ends it on the last close (durable-objects/user-feed/presence.ts). One D1 write per connect,
 * renewal and last close; never one per message or delivery.
 *
 * The rule a fan-out reads is "online at T": `online_since <= T < online_until`, for a T before
 * the job started. Every write made after T keeps that answer or turns it from true to false
 * (a reconnect after going offline starts a new `online_since`), never from false to true, so a
 * job that delivers to "online at T" first and then to "not online at T" never skips a follower;
 * a true-to-false turn can at most repeat one delivery, which the timeline ignores (idempotent
 * on post id).
 */
import type { Db } from "./d1";

/** How long a presence lasts without renewal: twice the lease refresh, so one late alarm is not an absence. */
export const ONLINE_TTL_MS = 20 * 60_000;

/**
 * How far before a job's creation its T lies: a follower's object stamps its writes with its own
 * clock, so T must precede the job by more than any skew between clocks. A follower who came
 * online in that margin is delivered in the second pass (still delivered, only later).
 */
export const ONLINE_CLOCK_MARGIN_MS = 5_000;

/** SQL: the user row `u` (an alias) was online at `t` (a parameter). */
export const onlineAtSql = (u: string, t: string) => `(${u}.online_since <= ${t} AND ${u}.online_until > ${t})`;

/** Online until `now + ONLINE_TTL_MS`; a presence that had ended (or never began) starts now. One statement, so the CASE reads the old row. */
export async function markOnline(db: Db, userId: string, now: number): Promise<void> {
  await db
    .prepare("UPDATE users SET online_since = CASE WHEN online_until > ?2 THEN online_since ELSE ?2 END, online_until = ?3 WHERE id = ?1")
    .bind(userId, now, now + ONLINE_TTL_MS)
    .run();
}

/** The last socket closed: the presence ends now (never later than it would have). */
export async function markOffline(db: Db, userId: string, now: number): Promise<void> {
  await db.prepare("UPDATE users SET online_until = MIN(online_until, ?2) WHERE id = ?1").bind(userId, now).run();
}
