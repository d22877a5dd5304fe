/**
 * Seeds the bench's world into its own local D1 (`persist`): migrations, then the SQL files
 * lib/world.mjs generates. Writes the fixtures the phases use (ids, sessions, readers) to
 * `worldFile` (read back by --skip-seed) and resolves them with the seconds it took.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { d1, migrate, sessionKey } from "./server.mjs";
import { buildWorld } from "./world.mjs";

export async function seedWorld({ persist, worldFile, cfg, log }) {
  log(`seeding: ${cfg.users} users, ~${cfg.avgFollows} follows each, ${cfg.posts} posts, ${cfg.stars} celebrities + fixtures (100,000-account crowd)`);
  rmSync(persist, { recursive: true, force: true });
  mkdirSync(persist, { recursive: true });
  await migrate(persist);
  const t = Date.now();
  const world = buildWorld({ dir: join(persist, "sql"), sessionKey: await sessionKey(persist), users: cfg.users, avgFollows: cfg.avgFollows, posts: cfg.posts, stars: cfg.stars, threshold: cfg.threshold });
  log(`  ${world.rows} rows in ${world.files.length} files, generated in ${Date.now() - t} ms`);
  for (const file of world.files) await d1(persist, file, { file: true });
  rmSync(join(persist, "sql"), { recursive: true, force: true });
  const keep = ["p100", "p1000", "p5000", "pinactive", "celeb1k", "celeb100k", "vh100k", "vh100", "vf10", "vf2000", "star0", ...Array.from({ length: 1000 }, (_, i) => `c${i}`), ...world.readers];
  const saved = { cfg, ids: Object.fromEntries(keep.map((k) => [k, world.ids[k]])), sessions: world.sessions, readers: world.readers };
  writeFileSync(worldFile, JSON.stringify(saved));
  const seconds = (Date.now() - t) / 1000;
  log(`  seeded in ${seconds.toFixed(1)} s`);
  return { world: saved, seconds };
}
