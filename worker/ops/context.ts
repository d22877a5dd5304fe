import { readConfig, type Config, type Env } from "../env";

/** What every mutation needs: bindings, configuration, who is acting, and an id reserved for it. */
export interface OpContext {
  env: Env;
  db: D1Database;
  config: Config;
  viewerId: string;
  /**
   * An id reserved before the mutation ran and stored with its idempotency record, so a retry after
   * a crash re-creates the same row (INSERT ... ON CONFLICT DO NOTHING) instead of a second one.
   */
  reservedId: string;
  now: number;
}

export function opContext(env: Env, viewerId: string, reservedId: string, now = Date.now()): OpContext {
  return { env, db: env.DB, config: readConfig(env), viewerId, reservedId, now };
}
