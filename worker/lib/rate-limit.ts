/**
 * Exact fixed-window rate limits held in D1: one atomic upsert per attempt, so concurrent requests
 * can never both slip under the limit. Limits come from variables (API.md), which the platform's
 * Rate Limiting binding cannot do.
 */
import { ApiError } from "../errors";

const WINDOW_MS = 60_000;

export async function consumeRateLimit(db: D1Database, key: string, limitPerMinute: number, now = Date.now()): Promise<void> {
  const windowStart = now - (now % WINDOW_MS);
  const [, counted] = await db.batch<{ count: number }>([
    // Old windows are swept in the same round trip; the index on window_start keeps it cheap.
    db.prepare("DELETE FROM rate_limits WHERE window_start < ?").bind(windowStart - WINDOW_MS),
    db
      .prepare(
        "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1) ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 RETURNING count",
      )
      .bind(key, windowStart),
  ]);
  const count = counted.results[0]?.count ?? 1;
  if (count > limitPerMinute) {
    const retryAfter = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
    throw new ApiError(429, "RATE_LIMITED", `Too many attempts; try again in ${retryAfter} s.`, { retryAfterSeconds: retryAfter }, {
      "Retry-After": String(retryAfter),
    });
  }
}
