import type { Db } from "../d1";
import { readConfig, type Config, type ConfigVars } from "../config";
import type { LocalPort } from "./types";

/** What every mutation needs: the database, configuration, who is acting, and an id reserved for it. */
export interface OpContext {
  /** The mutation's D1 session (on the primary: core/d1.ts writeSession). */
  db: Db;
  /** The R2 bucket of uploads (binding MEDIA). */
  media: R2Bucket;
  config: Config;
  viewerId: string;
  /**
   * An id reserved before the mutation ran and stored with its idempotency record, so a retry after
   * a crash re-creates the same row (INSERT ... ON CONFLICT DO NOTHING) instead of a second one.
   */
  reservedId: string;
  now: number;
  /** The acting user's own object state (notifications), when the op runs there. */
  local?: LocalPort;
}

export function opContext(db: Db, media: R2Bucket, vars: ConfigVars, viewerId: string, reservedId: string, now = Date.now(), local?: LocalPort): OpContext {
  return { db, media, config: readConfig(vars), viewerId, reservedId, now, local };
}
