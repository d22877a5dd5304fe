/**
 * Bulk SQL for the local D1: multi-row INSERTs written to files and applied with
 * `wrangler d1 execute DB --local --file` (the supported path; ~60k rows/s here).
 * Statements stay well under SQLite's statement-length limit (D1 refuses ~100 KB: SQLITE_TOOBIG)
 * and files are cut at ~24 MB so wrangler never holds a huge file in memory.
 */
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const MAX_STATEMENT = 80_000;
const MAX_FILE = 24 * 1024 * 1024;

export function sqlValue(v) {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") return Number.isFinite(v) ? String(Math.round(v) === v ? v : v) : "NULL";
  if (typeof v === "boolean") return v ? "1" : "0";
  return `'${String(v).replaceAll("'", "''")}'`;
}

/** Collects rows per table into INSERT statements and statements into numbered files. */
export class SqlWriter {
  constructor(dir) {
    this.dir = dir;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    this.files = [];
    this.parts = [];
    this.size = 0;
    this.pending = null; // { head, rows, size }
  }

  /** Adds one row; `columns` is the table's column list (the same for every row of the table). */
  row(table, columns, values, { orIgnore = false } = {}) {
    const head = `INSERT${orIgnore ? " OR IGNORE" : ""} INTO ${table} (${columns.join(", ")}) VALUES `;
    const tuple = `(${values.map(sqlValue).join(",")})`;
    if (this.pending && (this.pending.head !== head || this.pending.size + tuple.length > MAX_STATEMENT)) this.flushStatement();
    if (!this.pending) this.pending = { head, rows: [], size: head.length };
    this.pending.rows.push(tuple);
    this.pending.size += tuple.length + 1;
  }

  statement(sql) {
    this.flushStatement();
    this.push(sql.trim().replace(/;?$/, ";\n"));
  }

  flushStatement() {
    if (!this.pending) return;
    this.push(`${this.pending.head}${this.pending.rows.join(",")};\n`);
    this.pending = null;
  }

  push(text) {
    if (this.size + text.length > MAX_FILE && this.parts.length > 0) this.flushFile();
    this.parts.push(text);
    this.size += text.length;
  }

  flushFile() {
    if (this.parts.length === 0) return;
    const file = join(this.dir, `part-${String(this.files.length).padStart(3, "0")}.sql`);
    writeFileSync(file, this.parts.join(""));
    this.files.push({ file, bytes: this.size });
    this.parts = [];
    this.size = 0;
  }

  /** Writes what remains; returns every file in apply order. */
  close() {
    this.flushStatement();
    this.flushFile();
    return this.files;
  }
}

/**
 * One PBKDF2-SHA256 hash (100,000 iterations, 16-byte salt, 32-byte key) in the exact format of
 * worker/lib/crypto.ts, so seeded users log in through the real login route. Computed once per
 * seed and shared by every seeded account (hashing 10,000 passwords would take minutes): seeded
 * accounts therefore share one salt, which is fine for demo data and never for real users.
 */
export function demoPasswordHash(password) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, 100_000, 32, "sha256");
  return `pbkdf2-sha256$100000$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/** Counts that must agree with the rows: recomputed in SQL after the bulk inserts. */
export function consistencyStatements(threshold) {
  return [
    `UPDATE users SET follower_count = (SELECT COUNT(*) FROM follows f WHERE f.followee_id = users.id),
       following_count = (SELECT COUNT(*) FROM follows f WHERE f.follower_id = users.id)`,
    `UPDATE posts SET like_count = (SELECT COUNT(*) FROM likes l WHERE l.post_id = posts.id),
       comment_count = (SELECT COUNT(*) FROM comments c WHERE c.post_id = posts.id),
       share_count = (SELECT COUNT(*) FROM posts s WHERE s.shared_post_id = posts.id)`,
    // Authors at or above the threshold who have posts are served by pull (their posts never pushed).
    `UPDATE users SET is_pull_source = (follower_count >= ${Number(threshold)} AND EXISTS (SELECT 1 FROM posts p WHERE p.author_id = users.id))`,
    "ANALYZE",
  ];
}
