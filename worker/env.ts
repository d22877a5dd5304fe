/** The worker's bindings (wrangler.toml), typed by hand so the object classes keep their RPC types. */
import type { CelebrityFeed } from "../durable-objects/CelebrityFeed";
import type { UserFeed } from "../durable-objects/UserFeed";

export interface Env {
  DB: D1Database;
  ASSETS?: Fetcher;
  USER_FEED: DurableObjectNamespace<UserFeed>;
  CELEBRITY_FEED: DurableObjectNamespace<CelebrityFeed>;
  CELEBRITY_THRESHOLD: string;
  POST_RATE_LIMIT_PER_MINUTE: string;
  LOGIN_RATE_LIMIT_PER_MINUTE: string;
  SIGNUP_RATE_LIMIT_PER_MINUTE: string;
  /** Secret (`.dev.vars` locally, `wrangler secret put` deployed). Unset: the admin API is 404. */
  ADMIN_TOKEN?: string;
  /** Tuning knobs with safe defaults; tests lower them to exercise batching. */
  FANOUT_BATCH_SIZE?: string;
  ACTIVE_WINDOW_DAYS?: string;
  TIMELINE_CAP?: string;
}

export interface Config {
  celebrityThreshold: number;
  postRateLimitPerMinute: number;
  loginRateLimitPerMinute: number;
  signupRateLimitPerMinute: number;
  fanoutBatchSize: number;
  activeWindowMs: number;
  timelineCap: number;
}

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  // A configuration mistake is the operator's, not the client's: fail loudly at first use.
  if (!Number.isInteger(value) || value < 1) throw new Error(`Configuration: ${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function readConfig(env: Env): Config {
  return {
    celebrityThreshold: positiveInt("CELEBRITY_THRESHOLD", env.CELEBRITY_THRESHOLD, 10_000),
    postRateLimitPerMinute: positiveInt("POST_RATE_LIMIT_PER_MINUTE", env.POST_RATE_LIMIT_PER_MINUTE, 60),
    loginRateLimitPerMinute: positiveInt("LOGIN_RATE_LIMIT_PER_MINUTE", env.LOGIN_RATE_LIMIT_PER_MINUTE, 10),
    signupRateLimitPerMinute: positiveInt("SIGNUP_RATE_LIMIT_PER_MINUTE", env.SIGNUP_RATE_LIMIT_PER_MINUTE, 5),
    fanoutBatchSize: positiveInt("FANOUT_BATCH_SIZE", env.FANOUT_BATCH_SIZE, 250),
    activeWindowMs: positiveInt("ACTIVE_WINDOW_DAYS", env.ACTIVE_WINDOW_DAYS, 14) * 86_400_000,
    timelineCap: positiveInt("TIMELINE_CAP", env.TIMELINE_CAP, 1000),
  };
}
