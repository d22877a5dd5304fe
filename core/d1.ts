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

/**
 * What a bookmark may look like: D1's are four dash-separated lowercase hexadecimal fields
 * (`00000085-0000024c-00004c6d-8e61117b…`). Accepted a little wider (any number of such fields,
 * any width, bounded), so a change of field widths on the platform cannot silently turn every
 * read into an unconstrained one, while a constraint ("first-primary") never passes. Only
 * strings from D1 itself reach here (the worker's cookie is signed): a sanity bound, not the
 * security check.
 */
const BOOKMARK_PATTERN = /^(?=.{1,128}$)[0-9a-f]+(-[0-9a-f]+)*$/;

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
 * The newer of two bookmarks (null when neither is one). D1 documents bookmarks as
 * lexicographically sortable, oldest to newest (D1 glossary, "bookmark":
 * https://developers.cloudflare.com/d1/reference/glossary/), so the greater string is the later
 * state. A value that is not a bookmark is ignored rather than trusted.
 */
export function newerBookmark(a: string | null | undefined, b: string | null | undefined): string | null {
  const left = isBookmark(a) ? a : null;
  const right = isBookmark(b) ? b : null;
  if (left === null) return right;
  if (right === null) return left;
  return right > left ? right : left;
}
