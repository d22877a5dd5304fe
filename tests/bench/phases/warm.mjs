/**
 * Before the feed, cost and scaling phases: one latest-feed read per reader (and the scaling
 * fixtures), 8 at a time, so each timeline is rebuilt once through the real code path.
 * Trims `world.readers` to `cfg.readers` (the feed phase picks among those).
 */
import { request } from "../lib/load.mjs";
import { cookie } from "../lib/context.mjs";

export async function warmReaders({ api, cfg, log }, world) {
  world.readers = world.readers.slice(0, cfg.readers);
  const tokens = [...world.readers, "vh100k", "vh100", "vf10", "vf2000"].map((r) => world.sessions[r]);
  log(`warming ${tokens.length} readers (first read rebuilds each timeline through the real code path)`);
  const t = performance.now();
  let i = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (i < tokens.length) {
        const token = tokens[i++];
        const res = await request(api("/feed?mode=latest"), { headers: cookie(token) }).catch(() => ({ status: 0 }));
        if (res.status !== 200) failures++;
      }
    }),
  );
  log(`  warmed in ${((performance.now() - t) / 1000).toFixed(1)} s, ${failures} failures`);
  return { warmupFailures: failures };
}
