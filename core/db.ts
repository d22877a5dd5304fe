/** Small helpers for the prepared D1 statements of core/ (tables: schema/tables.ts). */

/** D1 binds at most 100 parameters per statement; pass id lists as one JSON array instead. */
export const jsonIds = (ids: readonly string[]) => JSON.stringify(ids);

export const iso = (ms: number) => new Date(ms).toISOString();
