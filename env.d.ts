/**
 * Bindings that `wrangler types` (worker-configuration.d.ts, generated from wrangler.toml by
 * `npm run types`) cannot see: a secret, and tuning knobs with safe defaults that tests lower.
 * Merged into the global Env and into Cloudflare.Env (what `cloudflare:workers`'s env is).
 */
interface ExtraBindings {
  /** Secret (`.dev.vars` locally, `wrangler secret put` deployed). Unset: the admin API is 404. */
  ADMIN_TOKEN?: string;
  FANOUT_BATCH_SIZE?: string;
  ACTIVE_WINDOW_DAYS?: string;
  TIMELINE_CAP?: string;
  /** "1": the bench's round-trip tracer is on (core/round-trips.ts). Set only by tests/bench/run.mjs. */
  BENCH_TRACE?: string;
}
interface Env extends ExtraBindings {}
declare namespace Cloudflare {
  interface Env extends ExtraBindings {}
}
