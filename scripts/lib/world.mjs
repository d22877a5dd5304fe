/**
 * Worlds: a generator for synthetic worlds of any size, and the writer that turns a world (demo or
 * synthetic) into bulk SQL for the local D1.
 *
 * A world is plain data indexed by position:
 *   users     [{ username, displayName, bio, avatarUrl, createdAt, lastActiveAt }]
 *   follows   EdgeList { n, x: Int32Array (follower), y: Int32Array (followee), t: Float64Array }
 *   posts     [{ author, content, imageUrl, postType, privacy, shared (post index | -1), createdAt }]
 *   likes     EdgeList { n, x: Int32Array (post), y: Int32Array (user), t: Float64Array }
 *   comments  [{ post, author, content, createdAt }]
 * The writer assigns time-sortable ids (scripts/lib/ids.mjs, same algorithm as schema/ids.ts) in
 * creation-time order, so each id encodes its row's created_at.
 */
import { newId, resetIdClock } from "./ids.mjs";
import { consistencyStatements } from "./sql.mjs";
import { picture } from "./art.mjs";
import { bio, commentText, FIRST, LAST, linkText, postText, prng } from "./text.mjs";

const DAY = 86_400_000;
export const ACTIVE_WINDOW_DAYS = 14;

/** Growable typed-array edge list. */
export class EdgeList {
  constructor(capacity = 1024) {
    this.n = 0;
    this.alloc(capacity);
  }
  alloc(capacity) {
    const grow = (Type, old) => {
      const next = new Type(capacity);
      if (old) next.set(old.subarray(0, this.n));
      return next;
    };
    this.x = grow(Int32Array, this.x);
    this.y = grow(Int32Array, this.y);
    this.t = grow(Float64Array, this.t);
    this.capacity = capacity;
  }
  push(x, y, t) {
    if (this.n === this.capacity) this.alloc(this.capacity * 2);
    this.x[this.n] = x;
    this.y[this.n] = y;
    this.t[this.n] = t;
    this.n++;
  }
}

function sortedOrder(length, timeOf) {
  const order = Array.from({ length }, (_, i) => i);
  order.sort((i, j) => timeOf(i) - timeOf(j) || i - j);
  return order;
}

/**
 * Writes `world` through `writer` (scripts/lib/sql.mjs). Returns the ids of active users (their
 * timelines are built afterwards through the worker) and the ids of every user, by index.
 */
export function writeWorld(world, writer, { passwordHash, threshold, now, onProgress = () => {} }) {
  const { users, follows, posts, likes, comments } = world;
  resetIdClock();
  const userIds = new Array(users.length);
  const rank = new Int32Array(users.length);
  let nextRank = 0;
  for (const i of sortedOrder(users.length, (i) => users[i].createdAt)) {
    const u = users[i];
    rank[i] = nextRank++;
    userIds[i] = newId(u.createdAt);
    writer.row(
      "users",
      ["id", "username", "display_name", "password_hash", "avatar_url", "bio", "last_active_at", "created_at"],
      [userIds[i], u.username, u.displayName, passwordHash, u.avatarUrl ?? null, u.bio ?? null, Math.floor(u.lastActiveAt), Math.floor(u.createdAt)],
    );
  }
  onProgress("users", users.length);
  const followOrder = Int32Array.from({ length: follows.n }, (_, e) => e).sort((e, f) => rank[follows.x[e]] - rank[follows.x[f]] || rank[follows.y[e]] - rank[follows.y[f]]);
  // In primary-key order (ids sort like ranks): sequential B-tree inserts are several times faster.
  for (let k = 0; k < follows.n; k++) {
    const e = followOrder[k];
    writer.row("follows", ["follower_id", "followee_id", "created_at"], [userIds[follows.x[e]], userIds[follows.y[e]], Math.floor(follows.t[e])], { orIgnore: true });
    if (k % 50_000 === 0) onProgress("follows", k);
  }
  onProgress("follows", follows.n);
  resetIdClock();
  const postIds = new Array(posts.length);
  for (const i of sortedOrder(posts.length, (i) => posts[i].createdAt)) {
    const p = posts[i];
    postIds[i] = newId(p.createdAt);
    const created = Math.floor(p.createdAt);
    writer.row(
      "posts",
      ["id", "author_id", "content", "image_url", "post_type", "privacy", "shared_post_id", "created_at", "updated_at"],
      [postIds[i], userIds[p.author], p.content, p.imageUrl ?? null, p.postType, p.privacy, p.shared >= 0 ? postIds[p.shared] : null, created, created],
    );
  }
  onProgress("posts", posts.length);
  for (let e = 0; e < likes.n; e++) {
    const post = likes.x[e];
    writer.row("likes", ["post_id", "user_id", "author_id", "created_at"], [postIds[post], userIds[likes.y[e]], userIds[posts[post].author], Math.floor(likes.t[e])], { orIgnore: true });
    if (e % 50_000 === 0) onProgress("likes", e);
  }
  onProgress("likes", likes.n);
  resetIdClock();
  for (const i of sortedOrder(comments.length, (i) => comments[i].createdAt)) {
    const c = comments[i];
    writer.row(
      "comments",
      ["id", "post_id", "author_id", "post_author_id", "content", "created_at", "updated_at"],
      [newId(c.createdAt), postIds[c.post], userIds[c.author], userIds[posts[c.post].author], c.content, Math.floor(c.createdAt), Math.floor(c.createdAt)],
    );
  }
  onProgress("comments", comments.length);
  for (const sql of consistencyStatements(threshold)) writer.statement(sql);
  const activeSince = now - ACTIVE_WINDOW_DAYS * DAY;
  const activeUserIds = users.map((u, i) => (u.lastActiveAt >= activeSince ? userIds[i] : null)).filter(Boolean);
  return { userIds, postIds, activeUserIds };
}

/**
 * A synthetic world:
 * - users created over the last two years (all at least 31 days ago); `activeShare` of them were
 *   active within the last 14 days, the rest 15 to 180 days ago;
 * - `celebrities` accounts followed by at least `threshold` users each (real celebrities: their
 *   posts take the pull path); everyone else stays below the threshold;
 * - the rest of the follow graph has power-law in-degrees (Zipf, exponent ~0.9, water-filled up to
 *   the threshold) with ~30% of edges followed back (friends);
 * - posts over the last 30 days (recent-heavy), by authors with heavy-tailed activity: text,
 *   images (generated SVG), links, shares; ~15% friends-only;
 * - likes and comments per post, exponential around the averages (celebrity posts ×8), given by
 *   followers of the author (friends for friends-only posts), so every one is a visible action.
 */
export function generateWorld(opts) {
  const { users: N, avgFollows, posts: P, celebrities: C, threshold: T, activeShare = 0.3, avgLikes = 5, avgComments = 1, seed = 42, now = Date.now() } = opts;
  const rand = prng(seed);
  if (C > 0 && T > N - 1) throw new Error(`a celebrity needs at least ${T} followers (CELEBRITY_THRESHOLD) but there are only ${N - 1} other users: use --users ${T + 1} or more`);

  // Users -------------------------------------------------------------------------------------
  const users = new Array(N);
  const isCeleb = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    const first = FIRST[Math.floor(rand() * FIRST.length)];
    const last = LAST[Math.floor(rand() * LAST.length)];
    const createdAt = now - 31 * DAY - rand() * 700 * DAY;
    const active = rand() < activeShare;
    const lastActiveAt = active ? now - rand() * (ACTIVE_WINDOW_DAYS - 0.5) * DAY : Math.max(createdAt + 3_600_000, now - 15 * DAY - rand() * 165 * DAY);
    users[i] = { username: `${first}_${last}_${i}`.toLowerCase().slice(0, 30), displayName: `${first} ${last}`, bio: bio(rand), avatarUrl: null, createdAt, lastActiveAt };
  }
  const celebs = [];
  while (celebs.length < C) {
    const i = Math.floor(rand() * N);
    if (isCeleb[i]) continue;
    isCeleb[i] = 1;
    celebs.push(i);
    users[i].lastActiveAt = now - rand() * DAY;
    users[i].bio = "Verified. Tour dates, new releases and behind the scenes.";
  }

  // Follows -----------------------------------------------------------------------------------
  const follows = new EdgeList(Math.max(1024, N * avgFollows + 1024));
  const edgeSet = new Set();
  const inDegree = new Int32Array(N);
  const cap = Math.max(0, Math.min(T - 1, N - 1));
  const perm = Int32Array.from({ length: N }, (_, i) => i);
  const followTime = (a, b) => {
    const from = Math.max(users[a].createdAt, users[b].createdAt);
    return from + rand() * (Math.min(users[a].lastActiveAt, now) - from > 0 ? Math.min(users[a].lastActiveAt, now) - from : 1);
  };
  const addEdge = (a, b) => {
    if (a === b) return false;
    const key = a * N + b;
    if (edgeSet.has(key)) return false;
    edgeSet.add(key);
    follows.push(a, b, followTime(a, b));
    inDegree[b]++;
    return true;
  };
  /** Up to `k` distinct random users other than `v` (partial Fisher–Yates over a shared permutation). */
  const sampleFollowers = (v, k, each) => {
    let taken = 0;
    for (let j = 0; j < N && taken < k; j++) {
      const r = j + Math.floor(rand() * (N - j));
      const tmp = perm[j];
      perm[j] = perm[r];
      perm[r] = tmp;
      if (perm[j] !== v && each(perm[j])) taken++;
    }
  };
  for (const c of celebs) {
    const k = Math.min(N - 1, T + Math.floor(rand() * Math.max(1, 0.25 * T)));
    sampleFollowers(c, k, (u) => addEdge(u, c));
  }
  const budget = Math.max(0, N * avgFollows - follows.n);
  const reciprocity = 0.3;
  const base = Math.floor(budget / (1 + reciprocity));
  // Zipf weights over a random order of the non-celebrity users, water-filled under the cap.
  const others = [];
  for (let i = 0; i < N; i++) if (!isCeleb[i]) others.push(i);
  for (let i = others.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [others[i], others[j]] = [others[j], others[i]];
  }
  const weights = others.map((_, r) => 1 / Math.pow(r + 1, 0.9));
  const fill = (s) => weights.reduce((sum, w) => sum + Math.min(cap, s * w), 0);
  let lo = 0;
  let hi = base * 2 + 1;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (fill(mid) < base) lo = mid;
    else hi = mid;
  }
  others.forEach((v, r) => {
    const target = Math.min(cap, Math.floor(hi * weights[r]));
    const room = Math.max(0, target - inDegree[v]);
    if (room > 0) sampleFollowers(v, room, (u) => addEdge(u, v));
  });
  // Friends: follow back ~30% of follows between non-celebrities, within the cap.
  const baseEdges = follows.n;
  for (let e = 0; e < baseEdges; e++) {
    const a = follows.x[e];
    const b = follows.y[e];
    if (isCeleb[a] || isCeleb[b] || inDegree[a] >= cap || rand() >= reciprocity) continue;
    addEdge(b, a);
  }
  // Celebrities follow a few people too.
  for (const c of celebs)
    for (let k = 0; k < 20; k++) {
      const v = others[Math.floor(rand() * Math.min(200, others.length))];
      if (v !== undefined && inDegree[v] < cap) addEdge(c, v);
    }

  // Follower adjacency (by followee), for likers and commenters.
  const offsets = new Int32Array(N + 1);
  for (let e = 0; e < follows.n; e++) offsets[follows.y[e] + 1]++;
  for (let i = 0; i < N; i++) offsets[i + 1] += offsets[i];
  const fill2 = offsets.slice(0, N);
  const followerOf = new Int32Array(follows.n);
  for (let e = 0; e < follows.n; e++) followerOf[fill2[follows.y[e]]++] = follows.x[e];
  const follows_ = (a, b) => edgeSet.has(a * N + b);

  // Posts -------------------------------------------------------------------------------------
  const authorWeight = new Float64Array(N);
  let total = 0;
  for (let i = 0; i < N; i++) {
    const active = users[i].lastActiveAt >= now - ACTIVE_WINDOW_DAYS * DAY;
    total += Math.pow(rand(), 3) * (active ? 1 : 0.25) * (isCeleb[i] ? 40 : 1) + 1e-4;
    authorWeight[i] = total;
  }
  const pickAuthor = () => {
    const x = rand() * total;
    let l = 0;
    let h = N - 1;
    while (l < h) {
      const m = (l + h) >> 1;
      if (authorWeight[m] < x) l = m + 1;
      else h = m;
    }
    return l;
  };
  const images = Array.from({ length: 24 }, (_, i) => picture(i));
  const posts = new Array(P);
  for (let i = 0; i < P; i++) {
    const author = pickAuthor();
    const u = users[author];
    const active = u.lastActiveAt >= now - ACTIVE_WINDOW_DAYS * DAY;
    const end = active ? now - 60_000 : u.lastActiveAt;
    const start = Math.max(u.createdAt, Math.min(now - 30 * DAY, end - 7 * DAY));
    const createdAt = end - (end - start) * Math.pow(rand(), 2);
    const kind = rand();
    const privacy = !isCeleb[author] && rand() < 0.15 ? "friends" : "public";
    let post;
    if (kind < 0.15) post = { content: rand() < 0.6 ? postText(rand) : "", imageUrl: images[Math.floor(rand() * images.length)], postType: "image" };
    else if (kind < 0.25) post = { content: linkText(rand), imageUrl: null, postType: "link" };
    else post = { content: postText(rand), imageUrl: null, postType: "text" };
    posts[i] = { author, privacy, shared: -1, createdAt, ...post };
  }
  // Shares: ~5% of posts re-share an earlier public post by someone else.
  const byTime = sortedOrder(P, (i) => posts[i].createdAt);
  for (let k = 1; k < P; k++) {
    if (rand() >= 0.05) continue;
    const i = byTime[k];
    const j = byTime[Math.floor(rand() * k)];
    if (posts[j].privacy !== "public" || posts[j].author === posts[i].author || posts[j].postType === "share") continue;
    Object.assign(posts[i], { postType: "share", imageUrl: null, content: rand() < 0.5 ? "This 👇" : "", privacy: "public", shared: j });
  }

  // Likes and comments: from the author's followers (friends for friends-only posts).
  const likes = new EdgeList(Math.max(1024, P * avgLikes * 1.2));
  const comments = [];
  const visibleFan = (p) => {
    const a = p.author;
    const from = offsets[a];
    const count = offsets[a + 1] - from;
    if (count === 0) return -1;
    for (let tries = 0; tries < 6; tries++) {
      const u = followerOf[from + Math.floor(rand() * count)];
      if (p.privacy === "public" || follows_(a, u)) return u;
    }
    return -1;
  };
  const seen = new Set();
  for (let i = 0; i < P; i++) {
    const p = posts[i];
    const boost = isCeleb[p.author] ? 8 : 1;
    const nLikes = Math.floor(-Math.log(1 - rand()) * avgLikes * boost);
    const nComments = Math.floor(-Math.log(1 - rand()) * avgComments * boost);
    const span = Math.max(60_000, Math.min(now, p.createdAt + 3 * DAY) - p.createdAt);
    seen.clear();
    for (let k = 0; k < nLikes; k++) {
      const u = visibleFan(p);
      if (u < 0 || seen.has(u)) continue;
      seen.add(u);
      likes.push(i, u, Math.min(now, p.createdAt + rand() * span));
    }
    for (let k = 0; k < nComments; k++) {
      const u = visibleFan(p);
      if (u < 0) continue;
      comments.push({ post: i, author: u, content: commentText(rand), createdAt: Math.min(now, p.createdAt + rand() * span) });
    }
  }
  return { users, follows, posts, likes, comments, celebrities: celebs };
}
