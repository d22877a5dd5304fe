/**
 * The one place D1 sessions are opened (D1 read replication, Sessions API). Every query runs in a
 * session; core functions take a `Db` (what a session and the bare binding have in common), never
 * open one themselves, so who reads from where is decided by the caller, once per request or RPC.
 *
 * - writeSession: "first-primary". Mutations: their reads and writes see the newest state, and the
 *   session's bookmark afterwards names the write, for the reads that must see it.
 * - readSession(bookmark): a replica at least as fresh as `bookmark` (the reader's own last write,
 *   or a delivered post's), else "first-unconstrained" (any replica, the nearest).
 *
 * Which constraint each read uses, and why: README, "Reads near the reader".
 */

/** What core functions accept: a D1 session, or (in tests of literal SQL) the binding itself. */
export type Db = Pick<D1Database, "prepare" | "batch">;

/** A session: a Db whose bookmark can be read after its queries. */
export type Session = Db & { getBookmark(): string | null };

/** A D1 bookmark as D1 formats it: four dash-separated, fixed-width hexadecimal fields. */
const BOOKMARK_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** Whether `value` is a bookmark in D1's format (anything a client or storage hands us is checked first). */
export function isBookmark(value: unknown): value is string {
  return typeof value === "string" && BOOKMARK_PATTERN.test(value);
}

export function writeSession(db: D1Database): Session {
  return db.withSession("first-primary");
}

export function readSession(db: D1Database, bookmark: string | null | undefined): Session {
  return db.withSession(isBookmark(bookmark) ? bookmark : "first-unconstrained");
}

/**
 * The newer of two bookmarks (null when neither is one). D1's documentation does not define an
 * order on bookmarks; their format is fixed-width, zero-padded hexadecimal fields, most
 * significant first (`00000000-00000007-00000000-…`: the commit position in the second field), so
 * the later position is the lexicographically greater string. A value not in that format is
 * ignored rather than trusted.
 */
export function newerBookmark(a: string | null | undefined, b: string | null | undefined): string | null {
  const left = isBookmark(a) ? a : null;
  const right = isBookmark(b) ? b : null;
  if (left === null) return right;
  if (right === null) return left;
  return right > left ? right : left;
}
