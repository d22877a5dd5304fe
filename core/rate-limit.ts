/**
 * Exact fixed-window rate limits held in D1: each attempt is counted by an atomic upsert before it
 * runs, so concurrent requests can never both slip under the limit. Limits come from variables
 * (API.md), which the platform's Rate Limiting binding cannot do.
 *
 * - consumeRateLimit: every attempt counts (posts, sign-ups).
 * - holdAttempt: only failures count (logins). The attempt holds its place on each counter while
 *   it runs and gives it back unless it failed, so a limit is never exceeded by attempts in flight.
 */
import type { Db } from "./d1";
import { ApiError } from "./errors";

const WINDOW_MS = 60_000;

export interface Counter {
  key: string;
  limitPerMinute: number;
}

function windowOf(now: number): number {
  return now - (now % WINDOW_MS);
}

function rateLimited(windowStart: number, now: number): ApiError {
  const retryAfter = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
  return new ApiError(429, "RATE_LIMITED", `Too many attempts; try again in ${retryAfter} s.`, { retryAfterSeconds: retryAfter }, {
    "Retry-After": String(retryAfter),
  });
}

function countStatements(db: Db, counters: Counter[], windowStart: number): D1PreparedStatement[] {
  return [
    // Old windows are swept in the same round trip; the index on window_start keeps it cheap.
    db.prepare("DELETE FROM rate_limits WHERE window_start < ?").bind(windowStart - WINDOW_MS),
    ...counters.map(({ key }) =>
      db
        .prepare(
          "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1) ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 RETURNING count",
        )
        .bind(key, windowStart),
    ),
  ];
}

const countOf = (result: D1Result | undefined) => (result?.results[0] as { count: number } | undefined)?.count ?? 1;

export async function consumeRateLimit(db: Db, key: string, limitPerMinute: number, now = Date.now()): Promise<void> {
  const windowStart = windowOf(now);
  const [, counted] = await db.batch(countStatements(db, [{ key, limitPerMinute }], windowStart));
  if (countOf(counted) > limitPerMinute) throw rateLimited(windowStart, now);
}

/** A SQL string literal of a server-made value (a counter key: a prefix and one of our ids). */
const sqlText = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** One attempt, counted inside the batch of the write it limits (see countedWrite). */
export interface CountedWrite {
  /** The counter's statements: first in the write's batch. */
  statements: D1PreparedStatement[];
  /** True while the attempt is within the limit: a condition every row-changing statement of the write carries. */
  allowedSql: string;
  /** After the batch (its results from the first): throws 429 RATE_LIMITED with Retry-After when over the limit. */
  check(results: readonly D1Result[]): void;
}

/**
 * Counts one attempt in the same D1 round trip as the write it limits (a post costs one round
 * trip, not a check and then a batch). D1 runs a batch as one transaction and cannot read between
 * its statements, so the rule is SQL: the counter is bumped first, and the write's statements
 * are conditional on the bumped count being within the limit (`allowedSql`); over it, the write
 * changes nothing and `check` answers 429. Every attempt counts, like consumeRateLimit.
 */
export function countedWrite(db: Db, key: string, limitPerMinute: number, now = Date.now()): CountedWrite {
  const windowStart = windowOf(now);
  return {
    statements: countStatements(db, [{ key, limitPerMinute }], windowStart),
    allowedSql: `((SELECT count FROM rate_limits WHERE key = ${sqlText(key)} AND window_start = ${windowStart}) <= ${Math.floor(limitPerMinute)})`,
    check(results) {
      if (countOf(results[1]) > limitPerMinute) throw rateLimited(windowStart, now);
    },
  };
}

export interface HeldAttempt<T> {
  /** The rows of the statement run alongside the counters. */
  rows: T[];
  /** Gives the attempt's places back: call it when the attempt did not fail. */
  release(): Promise<void>;
}

/**
 * Counts one attempt on every counter and runs `alongside` (a read the attempt needs anyway), in
 * one D1 round trip. Over any limit: the places are given back (a refused attempt is not a
 * failure, so it cannot lock anyone out) and it throws 429 RATE_LIMITED with Retry-After.
 */
export async function holdAttempt<T>(db: Db, counters: Counter[], alongside: D1PreparedStatement, now = Date.now()): Promise<HeldAttempt<T>> {
  const windowStart = windowOf(now);
  const results = await db.batch([...countStatements(db, counters, windowStart), alongside]);
  const release = async () => {
    await db.batch(
      counters.map(({ key }) => db.prepare("UPDATE rate_limits SET count = count - 1 WHERE key = ? AND window_start = ?").bind(key, windowStart)),
    );
  };
  if (counters.some((counter, i) => countOf(results[i + 1]) > counter.limitPerMinute)) {
    await release();
    throw rateLimited(windowStart, now);
  }
  return { rows: (results[results.length - 1].results ?? []) as T[], release };
}

/**
 * Who is asking, for per-client limits: Cloudflare's CF-Connecting-IP (set by the edge, not by the
 * client). An IPv6 client is its /64, as one host usually holds a whole /64. Without the header
 * (local development, tests) every request is the one client "local".
 */
export function clientKey(connectingIp: string | undefined): string {
  const ip = (connectingIp ?? "").trim().toLowerCase().slice(0, 64);
  if (!ip) return "local";
  if (!ip.includes(":") || ip.includes(".")) return ip; // IPv4, or IPv4-mapped IPv6 (the address is the client)
  const [head, tail] = ip.split("::", 2);
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
