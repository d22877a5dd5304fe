/** Phase "ceiling": GET /api/v1/health (no I/O), the figure every other throughput is compared to. */
import { closedLoop } from "../lib/load.mjs";
import { round } from "../lib/context.mjs";

export async function measureCeiling({ api, cfg, log }) {
  log("ceiling: GET /api/v1/health (no I/O) at 32 clients and 1");
  const c32 = await closedLoop({ concurrency: 32, durationMs: cfg.loadMs, makeRequest: () => [api("/health")] });
  const c1 = await closedLoop({ concurrency: 1, durationMs: 60_000, warmupMs: 200, maxRequests: cfg.singleRequests, makeRequest: () => [api("/health")] });
  log(`  32 clients: ${c32.rps.toFixed(0)} rps p50 ${c32.p50.toFixed(1)} p99 ${c32.p99.toFixed(1)} ms; 1 client: p50 ${c1.p50.toFixed(2)} p99 ${c1.p99.toFixed(2)} ms`);
  return { ceilingRps: round(c32.rps), ceilingP50Ms: round(c32.p50, 2), ceilingP99Ms: round(c32.p99, 2), ceilingSingleP50Ms: round(c1.p50, 2), ceilingSingleP99Ms: round(c1.p99, 2), ceilingErrors: c32.errors };
}
