import { drizzle } from "drizzle-orm/d1";
import * as tables from "../../schema/tables";

export type Db = ReturnType<typeof getDb>;
export const getDb = (d1: D1Database) => drizzle(d1, { schema: tables });

/** D1 binds at most 100 parameters per statement; pass id lists as one JSON array instead. */
export const jsonIds = (ids: readonly string[]) => JSON.stringify(ids);

export const iso = (ms: number) => new Date(ms).toISOString();
