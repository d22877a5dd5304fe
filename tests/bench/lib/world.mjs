/**
 * The bench's world, written as bulk SQL for the local D1 (`wrangler d1 execute --file`).
 *
 * A base world like `npm run seed` makes (N users, power-law follows, P posts, celebrities), plus
 * the fixtures the figures need, each named so the bench can find it:
 *   crowd c0..c99999   100,000 accounts; c0..c5999 active, the rest dormant (60 days)
 *   p100 / p1000 / p5000  authors followed by the first 100 / 1,000 / 5,000 active crowd users
 *   pinactive          100 active followers (c0..c99) and 5,000 dormant ones (under the threshold: pushed)
 *   celeb1k / celeb100k   1,000 followers (c0..c999) / 100,000 followers (the whole crowd)
 *   star0..            celebrities of the base world (followed by 30% of it and 7,000+ of the crowd)
 *   hbig0..9 / hsmall0..9  10,000 / 10 posts each; vh100k follows hbig*, vh100 follows hsmall*
 *   vf10 / vf2000      follow the 10 most prolific base authors / those and 1,990 more
 * Sessions are inserted for every account the bench drives (token_hash = SHA-256 hex of the
 * token, as worker/lib/session.ts stores it; the cookie signed with the database's own key), so no
 * login (and no login rate limit) is needed.
 *
 * Why not scripts/seed.mjs: when this was written it did not exist yet (issue 5 in progress), and
 * these fixtures need exact follower sets that a generic seeder does not give. `--seed-script`
 * in run.mjs can run it first for the base world once it lands; the fixtures go on top.
 */
import { randomIdAt } from "../../../scripts/lib/ids.mjs";
import { demoPasswordHash, SqlWriter } from "../../../scripts/lib/sql.mjs";
import { newToken, sessionCookie, sha256Hex } from "./server.mjs";

/** A time-sortable id for time `ms` (schema/ids.ts's format, random tail): rows need not come in time order. */
export const idAt = randomIdAt;

/** The seed's SQL file writer (scripts/lib/sql.mjs), with this builder's row shape: INSERT OR IGNORE, column lists as text. */
class SqlFiles extends SqlWriter {
  rows = 0;
  row(table, columns, values) {
    this.rows += 1;
    super.row(table, columns.split(",").map((c) => c.trim()), values, { orIgnore: true });
  }
  close() {
    return super.close().map((f) => f.file);
  }
}

/** Deterministic PRNG so worlds are comparable between runs. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PASSWORD = "bench-password-1";

export function buildWorld({ dir, sessionKey, users = 20_000, avgFollows = 20, posts = 100_000, stars = 5, crowd = 100_000, threshold = 6000, now = Date.now() }) {
  const random = rng(42);
  const out = new SqlFiles(dir);
  const passwordHash = demoPasswordHash(PASSWORD);
  const DAY = 86_400_000;
  const accounts = new Map(); // username -> id
  const sessions = {}; // username -> session cookie value
  const USER_COLS = "id, username, display_name, password_hash, last_active_at, created_at";

  const addUser = (username, active, createdAt = now - 400 * DAY) => {
    const id = idAt(createdAt + Math.floor(random() * DAY));
    accounts.set(username, id);
    out.row("users", USER_COLS, [id, username, username.toUpperCase(), passwordHash, active ? now - Math.floor(random() * 3 * DAY) : now - 60 * DAY, createdAt]);
    return id;
  };
  const follow = (a, b) => out.row("follows", "follower_id, followee_id, created_at", [a, b, now - 30 * DAY]);
  const postRows = [];
  const addPost = (authorId, t, privacy = "public") => postRows.push([idAt(t), authorId, t, privacy]);
  const session = (username) => {
    const token = newToken();
    sessions[username] = sessionCookie(sessionKey, accounts.get(username), token);
    out.row("sessions", "token_hash, user_id, created_at, expires_at", [sha256Hex(token), accounts.get(username), now, now + 29 * DAY]);
  };

  // Base world: users, power-law follows (Zipf-like popularity), posts by popularity.
  const base = Array.from({ length: users }, (_, i) => addUser(`u${i}`, true));
  const rank = base.map((_, i) => i).sort(() => random() - 0.5); // popularity rank -> user index
  const pick = () => rank[Math.min(users - 1, Math.floor(users * random() ** 3))];
  for (let i = 0; i < users; i++) {
    const k = Math.max(1, Math.min(users - 1, Math.round(-Math.log(1 - random()) * avgFollows)));
    const seen = new Set();
    for (let tries = 0; seen.size < k && tries < k * 4; tries++) {
      const j = pick();
      if (j !== i) seen.add(j);
    }
    for (const j of seen) follow(base[i], base[j]);
  }
  for (let n = 0; n < posts; n++) addPost(base[pick()], now - Math.floor(random() * 30 * DAY), random() < 0.1 ? "friends" : "public");

  // The crowd: 100,000 accounts, the first 6,000 active.
  const ACTIVE_CROWD = 6000;
  const crowdIds = Array.from({ length: crowd }, (_, i) => addUser(`c${i}`, i < ACTIVE_CROWD));

  // Base-world celebrities (pull): 30% of the base world and 7,000+ of the crowd follow each.
  for (let s = 0; s < stars; s++) {
    const id = addUser(`star${s}`, true);
    for (let i = 0; i < users; i++) if (random() < 0.3) follow(base[i], id);
    for (let i = 0; i < Math.min(crowd, threshold + 1000 + s * 500); i++) follow(crowdIds[i], id);
    for (let n = 0; n < 200; n++) addPost(id, now - Math.floor(random() * 30 * DAY));
  }

  // Push authors and their active followers.
  const author = (name, followers) => {
    const id = addUser(name, true);
    for (const f of followers) follow(f, id);
    return id;
  };
  author("p100", crowdIds.slice(0, 100));
  author("p1000", crowdIds.slice(0, 1000));
  author("p5000", crowdIds.slice(0, 5000));
  author("pinactive", [...crowdIds.slice(0, 100), ...crowdIds.slice(10_000, 15_000)]); // 5,100 < threshold: push
  author("celeb1k", crowdIds.slice(0, 1000));
  const celeb100k = author("celeb100k", crowdIds.slice(0, 100_000));
  for (let n = 0; n < 20; n++) addPost(celeb100k, now - Math.floor(random() * 30 * DAY));

  // Scaling: history and follow counts.
  const vh100k = addUser("vh100k", true);
  const vh100 = addUser("vh100", true);
  for (let a = 0; a < 10; a++) {
    const big = addUser(`hbig${a}`, true);
    const small = addUser(`hsmall${a}`, true);
    follow(vh100k, big);
    follow(vh100, small);
    for (let n = 0; n < 10_000; n++) addPost(big, now - Math.floor(random() * 365 * DAY));
    for (let n = 0; n < 10; n++) addPost(small, now - Math.floor(random() * 30 * DAY));
  }
  // Both follow-count viewers get full pages and a full ranking window (>= 200 candidates), so the
  // comparison is about follows, not about how many posts there are to show: vf10 follows the 10
  // most prolific base authors, vf2000 those 10 and 1,990 others.
  const vf10 = addUser("vf10", true);
  const vf2000 = addUser("vf2000", true);
  const postsBy = new Map();
  for (const [, authorId] of postRows) postsBy.set(authorId, (postsBy.get(authorId) ?? 0) + 1);
  const prolific = base.slice().sort((a, b) => (postsBy.get(b) ?? 0) - (postsBy.get(a) ?? 0));
  prolific.slice(0, 10).forEach((b) => follow(vf10, b));
  const rest = prolific.slice(10).sort(() => random() - 0.5);
  [...prolific.slice(0, 10), ...rest.slice(0, Math.min(1990, rest.length))].forEach((b) => follow(vf2000, b));

  // Posts in id order (ids sort by time), then counts and the pull flag as the app keeps them.
  postRows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [id, authorId, t, privacy] of postRows)
    out.row("posts", "id, author_id, content, post_type, privacy, created_at, updated_at", [id, authorId, `bench post ${id.slice(-6)} lorem ipsum dolor sit amet`, "text", privacy, t, t]);

  // Sessions for everyone the bench drives.
  const readers = [];
  for (let i = 0; i < Math.min(users, 400); i++) readers.push(`u${rank[users - 1 - i]}`); // ordinary users (not the most popular)
  for (const r of readers) session(r);
  for (let i = 0; i < 1000; i++) session(`c${i}`);
  for (const name of ["p100", "p1000", "p5000", "pinactive", "celeb1k", "celeb100k", "vh100k", "vh100", "vf10", "vf2000", "star0"]) session(name);

  out.statement(`UPDATE users SET follower_count = (SELECT COUNT(*) FROM follows f WHERE f.followee_id = users.id),
     following_count = (SELECT COUNT(*) FROM follows f WHERE f.follower_id = users.id)`);
  out.statement(`UPDATE users SET is_pull_source = (follower_count >= ${Number(threshold)} AND EXISTS (SELECT 1 FROM posts p WHERE p.author_id = users.id))`);
  out.statement("ANALYZE");
  const files = out.close();
  return { files, rows: out.rows, ids: Object.fromEntries(accounts), sessions, readers, passwordHash };
}
