/**
 * Who a fan-out batch delivers to: one page of the author's followers, active within the activity
 * window (inactive ones rebuild their timeline when they return), friends only for a friends-only
 * post. A job walks the followers twice, each pass in follower id order: first those online at
 * the job's T (core/presence.ts: they have a socket, so the post is on a screen at once), then
 * everyone else, so live latency never waits behind offline followers whatever page they are on.
 * The job's cursor is the pass and the last follower handled in it; because "online at T" only
 * ever turns from true to false while a job runs (presence.ts), the two passes together reach
 * every follower, none skipped.
 */
import type { Db } from "./d1";
import type { Post } from "../schema/api";
import type { Config } from "./config";
import { jsonIds } from "./db";
import { viewsByViewer, viewsForViewersSql, type ViewerPostRecord } from "./posts";
import { onlineAtSql } from "./presence";
import { ARE_FRIENDS_SQL } from "./users";

/**
 * Where a job is: `online` and `rest` are the two passes; `all` is the single pass of a job
 * saved before the passes existed (a bare follower id), finished in plain id order.
 */
export type FanoutPass = "online" | "rest" | "all";
export interface FanoutCursor {
  pass: FanoutPass;
  /** The last follower handled in this pass ('' before the first). */
  after: string;
}

export function parseFanoutCursor(saved: string): FanoutCursor {
  if (saved === "") return { pass: "online", after: "" };
  const colon = saved.indexOf(":");
  const pass = saved.slice(0, colon);
  if (pass === "online" || pass === "rest") return { pass, after: saved.slice(colon + 1) };
  return { pass: "all", after: saved };
}

export const formatFanoutCursor = (cursor: FanoutCursor): string => (cursor.pass === "all" ? cursor.after : `${cursor.pass}:${cursor.after}`);

/** The SQL choosing one page of followers: ?1 author, ?2 after, ?3 active since, ?4 page size, ?5 the job's T. */
function followerPageSql(friendsOnly: boolean, pass: FanoutPass): string {
  const online = pass === "online" ? `AND ${onlineAtSql("u", "?5")}` : pass === "rest" ? `AND NOT ${onlineAtSql("u", "?5")}` : "";
  return `SELECT f.follower_id FROM follows f JOIN users u ON u.id = f.follower_id
     WHERE f.followee_id = ?1 AND f.follower_id > ?2 AND u.last_active_at >= ?3 ${online}
       ${friendsOnly ? `AND ${ARE_FRIENDS_SQL("?1", "f.follower_id")}` : ""}
     ORDER BY f.follower_id LIMIT ?4`;
}

export interface FollowerPage {
  /** Follower ids in id order. */
  followers: string[];
  /** The post as each follower may see it now (absent: it may not; or no post was asked for). */
  views: Map<string, Post>;
}

export interface FollowerBatch extends FollowerPage {
  /** Followers in delivery order: the online pass's, then the rest's. */
  followers: string[];
  /** Where the next batch starts; null when this batch ends the job. */
  next: FanoutCursor | null;
}

/**
 * One batch of `config.fanoutBatchSize` recipients from `cursor`. When the online pass runs out
 * inside a batch, the batch is filled from the start of the second pass (one more statement,
 * once per job), so a job needs no more batches than before and its cursor stays exact.
 */
export async function followerBatch(db: Db, config: Config, authorId: string, friendsOnly: boolean, cursor: FanoutCursor, onlineAt: number, postId: string | null): Promise<FollowerBatch> {
  const size = config.fanoutBatchSize;
  const first = await followerPage(db, config, authorId, friendsOnly, cursor, size, onlineAt, postId);
  const full = (page: FollowerPage, pass: FanoutPass, wanted: number) => (page.followers.length >= wanted ? { pass, after: page.followers[page.followers.length - 1] } : null);
  if (cursor.pass !== "online" || first.followers.length >= size) return { ...first, next: full(first, cursor.pass, size) };
  const wanted = size - first.followers.length;
  const rest = await followerPage(db, config, authorId, friendsOnly, { pass: "rest", after: "" }, wanted, onlineAt, postId);
  return { followers: [...first.followers, ...rest.followers], views: new Map([...first.views, ...rest.views]), next: full(rest, "rest", wanted) };
}

/**
 * One page of followers and, in the same D1 statement, the post as each of them sees it (the
 * REST hydration per recipient, core/posts.ts), so a delivery carries its recipient's own
 * `isLiked` and `sharedPost` and costs no extra round trip. `onlineAt`: the job's T.
 */
export async function followerPage(db: Db, config: Config, authorId: string, friendsOnly: boolean, cursor: FanoutCursor, size: number, onlineAt: number, postId: string | null): Promise<FollowerPage> {
  // A statement binds exactly the parameters it names: the job's T only in the two passes.
  const binds: (string | number)[] = [authorId, cursor.after, Date.now() - config.activeWindowMs, size];
  if (cursor.pass !== "all") binds.push(onlineAt);
  const sql = followerPageSql(friendsOnly, cursor.pass);
  if (postId === null) {
    const { results } = await db.prepare(sql).bind(...binds).all<{ follower_id: string }>();
    return { followers: results.map((r) => r.follower_id), views: new Map() };
  }
  const { results } = await db.prepare(viewsForViewersSql(sql, `?${binds.length + 1}`))
    .bind(...binds, jsonIds([postId]))
    .all<ViewerPostRecord>();
  // A delivery is a home-feed message: a follower who muted the author gets the timeline entry
  // (the feed read leaves it out, and unmuting brings it back) but no live push.
  const byViewer = viewsByViewer(results, config.celebrityThreshold, true);
  const views = new Map<string, Post>();
  for (const [viewerId, posts] of byViewer) {
    const post = posts.get(postId);
    if (post) views.set(viewerId, post);
  }
  return { followers: [...byViewer.keys()].sort(), views };
}
