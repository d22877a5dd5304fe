/**
 * Phase "cost": object calls and D1 round trips of one feed read per mode. The worker side is
 * counted live by /bench/feed-cost; the object side is asserted by tests/worker/hardening-cost.test.ts.
 */
import { json } from "../lib/load.mjs";
import { modeKey } from "../lib/context.mjs";

export async function measureCost({ api, admin, log }, world) {
  log("cost per feed read (worker side counted live; object side asserted by tests/worker/hardening-cost.test.ts)");
  const out = {};
  for (const mode of ["ranked", "latest"]) {
    const res = await json(api(`/bench/feed-cost?mode=${mode}`), { headers: { ...admin, "x-bench-cookie": `ef_session=${world.sessions[world.readers[0]]}` } });
    const w = res.json?.data?.worker ?? {};
    const key = modeKey(mode);
    // Inside the viewer's UserFeed (feed-reader.ts, counted in hardening-cost.test.ts): one D1
    // statement in either mode (ranked: candidates, ranking and the page's hydration together).
    const objectD1Calls = 1;
    const objectD1Statements = 1;
    Object.assign(out, {
      [`cost${key}ObjectCalls`]: w.objectCalls,
      [`cost${key}WorkerD1Calls`]: w.d1Calls,
      [`cost${key}D1Calls`]: (w.d1Calls ?? 0) + objectD1Calls,
      [`cost${key}D1Statements`]: (w.d1Statements ?? 0) + objectD1Statements,
    });
    log(`  ${mode}: ${w.objectCalls} object call(s); D1 round trips: worker ${w.d1Calls} + object ${objectD1Calls} = ${(w.d1Calls ?? 0) + objectD1Calls}; statements ${(w.d1Statements ?? 0) + objectD1Statements}`);
  }
  return out;
}
