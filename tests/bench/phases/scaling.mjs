/** Phase "scaling": one client's feed p50 for 100 vs 100,000 posts of history and 10 vs 2,000 follows. */
import { closedLoop } from "../lib/load.mjs";
import { cookie, modeKey, round } from "../lib/context.mjs";

export async function measureScaling({ api, cfg, log }, world) {
  log("scaling: one client, 100 vs 100,000 posts of history, 10 vs 2,000 follows");
  const p50Of = (name, mode) =>
    closedLoop({ concurrency: 1, durationMs: 60_000, warmupMs: 100, maxRequests: cfg.scalingRequests, makeRequest: () => [api(`/feed?mode=${mode}&limit=20`), { headers: cookie(world.sessions[name]) }] });
  const out = {};
  for (const mode of ["ranked", "latest"]) {
    const key = modeKey(mode);
    const h100 = await p50Of("vh100", mode);
    const h100k = await p50Of("vh100k", mode);
    const f10 = await p50Of("vf10", mode);
    const f2000 = await p50Of("vf2000", mode);
    Object.assign(out, {
      [`scaling${key}History100P50Ms`]: round(h100.p50, 2),
      [`scaling${key}History100kP50Ms`]: round(h100k.p50, 2),
      [`scaling${key}HistoryRatio`]: round(h100k.p50 / h100.p50, 2),
      [`scaling${key}Follows10P50Ms`]: round(f10.p50, 2),
      [`scaling${key}Follows2000P50Ms`]: round(f2000.p50, 2),
      [`scaling${key}FollowsRatio`]: round(f2000.p50 / f10.p50, 2),
    });
    log(`  ${mode}: history 100 ${h100.p50.toFixed(2)} vs 100k ${h100k.p50.toFixed(2)} ms (×${(h100k.p50 / h100.p50).toFixed(2)}); follows 10 ${f10.p50.toFixed(2)} vs 2000 ${f2000.p50.toFixed(2)} ms (×${(f2000.p50 / f10.p50).toFixed(2)})`);
  }
  return out;
}
