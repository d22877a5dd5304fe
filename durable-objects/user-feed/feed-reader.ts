/**
 * Reading the home feed inside the viewer's UserFeed: one D1 statement per page (candidates and
 * hydration together, see core/feed/candidates.ts), ranking, snapshots and cursors.
 *
 * Cursors (opaque to clients):
 * - `{m:"l", b}`: latest order, posts with id < b. Ids sort by creation time, so posts arriving
 *   later never enter a page already passed, and likes never move anything.
 * - `{m:"r", s, o}`: position o in ranked snapshot s. After the snapshot, the feed continues in
 *   latest order below the snapshot's boundary, so ranked + chronological tail = every post once.
 * newestCursor `{s, t, x}`: the timeline's seq, the time of the read, and the ids already handed
 * to this client that are young enough to be offered again by the pulled-posts overlap (below), so
 * a catch-up returns every post that entered the feed since, and each once.
 */
import { z } from "zod";
import type { Db } from "../../core/d1";
import type { FeedQuery, FeedResponse, FeedUpdatesResponse, Post } from "../../schema/api";
import { idFloorForTime } from "../../schema/ids";
import { hydratePosts, postsFromRows, type PostRecord } from "../../core/posts";
import { ApiError } from "../../core/errors";
import { candidateStatement, rankedPageStatement, type CandidateRange, type RankedPageRow } from "../../core/feed/candidates";
import { decodeCursor, encodeCursor } from "../../core/cursor";
import type { SnapshotStore } from "./snapshots";
import { ZERO_HORIZON, type Timeline } from "./timeline";

/** How many of the newest candidates a ranked first page orders. */
export const RANK_WINDOW = 200;
/** A catch-up larger than this is answered with `reload`, never a partial replay. */
export const UPDATES_MAX = 100;
/** Pulled posts are re-offered for this long after a read, to cover writes in flight at that moment. */
const PULL_OVERLAP_MS = 5_000;

const pageCursor = z.union([
  z.object({ m: z.literal("l"), b: z.string().min(1).max(64) }),
  z.object({ m: z.literal("r"), s: z.string().min(1).max(64), o: z.number().int().min(0).max(100_000) }),
]);
const newestCursor = z.object({
  s: z.number().int().min(0),
  t: z.number().int().min(0),
  x: z.array(z.string().max(64)).max(200).optional(),
});

export interface FeedReaderDeps {
  /** A read session from the viewer's bookmark (user-feed/d1-access.ts). */
  db: Db;
  /** The viewer's affinity per author as the ranked statement binds it (user-feed/affinity.ts). */
  affinity(): string;
  viewerId: string;
  threshold: number;
  timeline: Timeline;
  snapshots: SnapshotStore;
  now: number;
}

interface CandidateRows {
  candidates: string[];
  posts: Map<string, Post>;
}

/**
 * The upper bound for D1's fallback below the timeline's horizon, or null when it cannot add to the
 * page: the timeline is complete (no horizon), or it alone fills the page with posts at or above
 * the horizon (every fallback post is older than all of them). Skipping the fallback then keeps a
 * page's cost flat for users with long histories or many follows (issue 6's scaling figures).
 */
function deepBound(timelineIds: readonly string[], limit: number, horizon: string, before: string | null): string | null {
  if (horizon === ZERO_HORIZON) return null;
  if (timelineIds.length >= limit && timelineIds[limit - 1] >= horizon) return null;
  return before === null || before > horizon ? horizon : before;
}

async function loadCandidates(deps: FeedReaderDeps, before: string | null, limit: number): Promise<CandidateRows> {
  const timelineIds = deps.timeline.page(before, limit);
  const range: CandidateRange = { before, from: null, limit, deepBefore: deepBound(timelineIds, limit, deps.timeline.horizon, before) };
  const { results } = await candidateStatement(deps.db, deps.viewerId, timelineIds, range).all<PostRecord & { is_candidate: number }>();
  const ids = new Set(timelineIds);
  for (const row of results) if (row.is_candidate === 1) ids.add(row.id);
  const candidates = [...ids].sort().reverse().slice(0, limit);
  return { candidates, posts: postsFromRows(results, deps.threshold, true) };
}

/** The catch-up cursor after handing the client `shown` (plus the young ids it already had). */
function newest(deps: FeedReaderDeps, shown: readonly { id: string }[], alreadySeen: readonly string[] = []): string {
  const floor = idFloorForTime(deps.now - PULL_OVERLAP_MS);
  const young = [...new Set([...alreadySeen, ...shown.map((p) => p.id)])].filter((id) => id >= floor).slice(-200);
  return encodeCursor({ s: deps.timeline.newestSeq, t: deps.now, ...(young.length > 0 ? { x: young } : {}) });
}

async function latestPage(deps: FeedReaderDeps, before: string | null, limit: number): Promise<FeedResponse> {
  const { candidates, posts } = await loadCandidates(deps, before, limit + 1);
  const page = candidates.slice(0, limit);
  const hasMore = candidates.length > limit;
  const shown = page.flatMap((id) => posts.get(id) ?? []);
  return {
    posts: shown,
    pagination: { nextCursor: hasMore ? encodeCursor({ m: "l", b: page[page.length - 1] }) : null, hasMore, newestCursor: newest(deps, shown) },
  };
}

function snapshotPage(deps: FeedReaderDeps, snapshotId: string, ids: string[], boundary: string | null, offset: number, limit: number) {
  const slice = ids.slice(offset, offset + limit);
  const end = offset + slice.length;
  let nextCursor: string | null = null;
  if (end < ids.length) nextCursor = encodeCursor({ m: "r", s: snapshotId, o: end });
  else if (boundary) nextCursor = encodeCursor({ m: "l", b: boundary });
  return { slice, nextCursor };
}

async function rankedFirstPage(deps: FeedReaderDeps, limit: number): Promise<FeedResponse> {
  const timelineIds = deps.timeline.page(null, RANK_WINDOW);
  const range: CandidateRange = { before: null, from: null, limit: RANK_WINDOW, deepBefore: deepBound(timelineIds, RANK_WINDOW, deps.timeline.horizon, null) };
  const { results } = await rankedPageStatement(deps.db, deps.viewerId, timelineIds, range, deps.now, limit, deps.affinity()).all<RankedPageRow>();
  const summary = results.find((row) => row.ranked_ids !== null)!;
  const ranked = JSON.parse(summary.ranked_ids!) as string[];
  // Below the window's oldest candidate the feed goes on chronologically (if there can be more).
  const boundary = summary.window_size === RANK_WINDOW ? summary.window_min : null;
  const snapshot = deps.snapshots.create(ranked, boundary, deps.now);
  const { slice, nextCursor } = snapshotPage(deps, snapshot.id, ranked, boundary, 0, limit);
  const posts = postsFromRows(results.filter((row) => row.id !== null), deps.threshold, true);
  const shown = slice.flatMap((id) => posts.get(id) ?? []);
  return { posts: shown, pagination: { nextCursor, hasMore: nextCursor !== null, newestCursor: newest(deps, shown) } };
}

async function rankedLaterPage(deps: FeedReaderDeps, snapshotId: string, offset: number, limit: number): Promise<FeedResponse> {
  const snapshot = deps.snapshots.get(snapshotId, deps.now);
  if (!snapshot) throw new ApiError(400, "INVALID_CURSOR", "This ranked feed has expired; load the feed again.", { reason: "expired" });
  const { slice, nextCursor } = snapshotPage(deps, snapshot.id, snapshot.ids, snapshot.boundary, offset, limit);
  const posts = await hydratePosts(deps.db, deps.viewerId, slice, deps.threshold, true);
  // Deleted, no-longer-visible and muted posts drop out; counts are fresh.
  const shown = slice.flatMap((id) => posts.get(id) ?? []);
  return { posts: shown, pagination: { nextCursor, hasMore: nextCursor !== null, newestCursor: newest(deps, shown) } };
}

export async function readFeed(deps: FeedReaderDeps, query: FeedQuery): Promise<FeedResponse> {
  if (query.cursor !== undefined) {
    const cursor = decodeCursor(query.cursor, pageCursor);
    return cursor.m === "l" ? latestPage(deps, cursor.b, query.limit) : rankedLaterPage(deps, cursor.s, cursor.o, query.limit);
  }
  return query.mode === "latest" ? latestPage(deps, null, query.limit) : rankedFirstPage(deps, query.limit);
}

export async function readUpdates(deps: FeedReaderDeps, since: string): Promise<FeedUpdatesResponse> {
  const cursor = decodeCursor(since, newestCursor);
  const { timeline } = deps;
  const reload = (): FeedUpdatesResponse => ({ posts: [], newestCursor: newest(deps, []), reload: true });
  if (cursor.s < timeline.reloadBelowSeq || cursor.s > timeline.newestSeq) return reload();
  const arrived = timeline.since(cursor.s, UPDATES_MAX + 1);
  if (arrived.length > UPDATES_MAX) return reload();
  const range: CandidateRange = { before: null, from: idFloorForTime(cursor.t - PULL_OVERLAP_MS), limit: UPDATES_MAX, deepBefore: null };
  const { results } = await candidateStatement(deps.db, deps.viewerId, arrived, range).all<PostRecord & { is_candidate: number }>();
  const posts = postsFromRows(results, deps.threshold, true);
  const ids = new Set(arrived);
  const seen = new Set(cursor.x ?? []);
  for (const row of results) if (row.is_candidate === 1 && !seen.has(row.id)) ids.add(row.id);
  const shown = [...ids].sort().reverse().flatMap((id) => posts.get(id) ?? []);
  return { posts: shown, newestCursor: newest(deps, shown, cursor.x) };
}
