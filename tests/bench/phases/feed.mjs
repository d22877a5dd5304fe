/**
 * Phase "feed": feed reads (ranked, then latest) by random warmed readers at 32 clients and at 1;
 * the ratios compare them with the ceiling phase's figures (`ceiling`, null if it did not run).
 */
import { closedLoop } from "../lib/load.mjs";
import { cookie, modeKey, round } from "../lib/context.mjs";

export async function measureFeeds({ api, cfg, log }, world, { ceilingRps, ceilingSingleP50Ms } = {}) {
  const tokens = world.readers.map((r) => world.sessions[r]);
  const pickToken = () => tokens[Math.floor(Math.random() * tokens.length)];
  const out = {};
  for (const mode of ["ranked", "latest"]) {
    log(`feed ${mode}: 32 clients, random users`);
    const r32 = await closedLoop({ concurrency: 32, durationMs: cfg.loadMs, makeRequest: () => [api(`/feed?mode=${mode}&limit=20`), { headers: cookie(pickToken()) }] });
    const r1 = await closedLoop({ concurrency: 1, durationMs: 60_000, warmupMs: 200, maxRequests: cfg.singleRequests, makeRequest: () => [api(`/feed?mode=${mode}&limit=20`), { headers: cookie(pickToken()) }] });
    const key = modeKey(mode);
    Object.assign(out, {
      [`feed${key}Rps`]: round(r32.rps),
      [`feed${key}P50Ms`]: round(r32.p50, 2),
      [`feed${key}P99Ms`]: round(r32.p99, 2),
      [`feed${key}Errors`]: r32.errors + r1.errors,
      [`feed${key}SingleP50Ms`]: round(r1.p50, 2),
      [`feed${key}SingleP99Ms`]: round(r1.p99, 2),
    });
    log(`  32 clients: ${r32.rps.toFixed(0)} rps p50 ${r32.p50.toFixed(1)} p99 ${r32.p99.toFixed(1)} ms (errors ${r32.errors}); 1 client: p50 ${r1.p50.toFixed(2)} p99 ${r1.p99.toFixed(2)} ms`);
  }
  // The headline keys: the default mode (ranked) is what a client gets without asking.
  out.feedRps = out.feedRankedRps;
  out.feedReadP99Ms = out.feedRankedP99Ms;
  out.feedReadRatio = round(out.feedRankedRps / ceilingRps, 3);
  out.feedLatestReadRatio = round(out.feedLatestRps / ceilingRps, 3);
  out.feedP50Ratio = round(out.feedRankedSingleP50Ms / ceilingSingleP50Ms, 2);
  out.feedLatestP50Ratio = round(out.feedLatestSingleP50Ms / ceilingSingleP50Ms, 2);
  return out;
}
