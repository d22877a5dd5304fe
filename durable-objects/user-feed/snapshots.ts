/**
 * Ranked-feed snapshots: the first ranked page fixes the order of its candidates here, and the
 * cursor names the snapshot and a position, so later pages never repeat or skip a post while new
 * posts and likes arrive. Snapshots live 30 minutes; at most a few per user are kept.
 */
import { newId } from "../../schema/ids";

export const SNAPSHOT_TTL_MS = 30 * 60_000;
const MAX_SNAPSHOTS = 10;

export const SNAPSHOT_SCHEMA = `
  CREATE TABLE snapshots (id TEXT PRIMARY KEY, ids TEXT NOT NULL, boundary TEXT, created_at INTEGER NOT NULL);
`;

export interface Snapshot {
  id: string;
  ids: string[];
  /** The oldest candidate considered; posts older than it continue chronologically. Null: nothing older. */
  boundary: string | null;
  createdAt: number;
}

export class SnapshotStore {
  constructor(private readonly sql: SqlStorage) {}

  create(ids: string[], boundary: string | null, now: number): Snapshot {
    const id = newId(now);
    this.sql.exec("INSERT INTO snapshots (id, ids, boundary, created_at) VALUES (?, ?, ?, ?)", id, JSON.stringify(ids), boundary, now);
    this.sql.exec("DELETE FROM snapshots WHERE id NOT IN (SELECT id FROM snapshots ORDER BY id DESC LIMIT ?)", MAX_SNAPSHOTS);
    return { id, ids, boundary, createdAt: now };
  }

  get(id: string, now: number): Snapshot | null {
    const row = this.sql
      .exec<{ ids: string; boundary: string | null; created_at: number }>("SELECT ids, boundary, created_at FROM snapshots WHERE id = ?", id)
      .toArray()[0];
    if (!row || row.created_at <= now - SNAPSHOT_TTL_MS) return null;
    return { id, ids: JSON.parse(row.ids) as string[], boundary: row.boundary, createdAt: row.created_at };
  }

  expire(now: number): void {
    this.sql.exec("DELETE FROM snapshots WHERE created_at <= ?", now - SNAPSHOT_TTL_MS);
  }

  oldestCreatedAt(): number | null {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(created_at) AS t FROM snapshots").one().t;
  }

  list(): { id: string; size: number; createdAt: number; expiresAt: number }[] {
    return this.sql
      .exec<{ id: string; n: number; created_at: number }>("SELECT id, json_array_length(ids) AS n, created_at FROM snapshots ORDER BY id DESC")
      .toArray()
      .map((r) => ({ id: r.id, size: r.n, createdAt: r.created_at, expiresAt: r.created_at + SNAPSHOT_TTL_MS }));
  }
}
