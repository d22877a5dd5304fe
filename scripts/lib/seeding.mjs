/** Loading a world (demo or synthetic) into the local D1: SQL files applied with wrangler. */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { d1File, d1Query, ROOT } from "./local.mjs";
import { demoPasswordHash, SqlWriter } from "./sql.mjs";
import { progress } from "./ui.mjs";
import { writeWorld } from "./world.mjs";

/**
 * Writes `world` as SQL files and applies them to the local D1 at `persistTo`, with a progress
 * bar by bytes. Returns the active users' ids (for the timeline build) and durations.
 */
export async function loadWorld(world, { persistTo, threshold, password, now = Date.now(), label = "loading D1" }) {
  const started = Date.now();
  const dir = join(ROOT, ".wrangler/tmp", `seed-sql-${process.pid}`);
  const writer = new SqlWriter(dir);
  const passwordHash = demoPasswordHash(password);
  const { activeUserIds } = writeWorld(world, writer, { passwordHash, threshold, now });
  const files = writer.close();
  const writeMs = Date.now() - started;
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  const bar = progress(label, Math.round(total / 1024));
  let done = 0;
  try {
    for (const f of files) {
      await d1File(f.file, persistTo);
      done += f.bytes;
      bar.update(Math.round(done / 1024), "KiB of SQL");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const loadMs = bar.done("KiB of SQL");
  return { activeUserIds, writeMs, loadMs, sqlBytes: total, files: files.length };
}

/** Row counts of the local D1 (for the summary table), in one statement. */
export async function worldCounts(persistTo, threshold) {
  const activeSince = Date.now() - 14 * 86_400_000;
  const [row] = await d1Query(
    `SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM follows) AS follows, (SELECT COUNT(*) FROM posts) AS posts,
       (SELECT COUNT(*) FROM likes) AS likes, (SELECT COUNT(*) FROM comments) AS comments,
       (SELECT COUNT(*) FROM users WHERE follower_count >= ${Number(threshold)}) AS celebrities,
       (SELECT COUNT(*) FROM users WHERE is_pull_source = 1) AS pull_sources,
       (SELECT COUNT(*) FROM users WHERE last_active_at >= ${activeSince}) AS active,
       (SELECT COUNT(*) FROM follows a WHERE EXISTS (SELECT 1 FROM follows b WHERE b.follower_id = a.followee_id AND b.followee_id = a.follower_id)) / 2 AS friendships,
       (SELECT COUNT(*) FROM posts WHERE privacy = 'friends') AS friends_only_posts,
       (SELECT MAX(follower_count) FROM users) AS max_followers`,
    persistTo,
  );
  return row;
}
