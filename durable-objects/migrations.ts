/**
 * Append-only, id-checked storage migrations for a Durable Object's SQLite (after tldraw's
 * replicatorMigrations): each runs once, in order, inside one synchronous transaction with the
 * record that it ran. Never edit a shipped migration; add the next id.
 */
export interface StorageMigration {
  id: number;
  name: string;
  sql: string;
}

export function applyMigrations(storage: DurableObjectStorage, migrations: readonly StorageMigration[]): void {
  migrations.forEach((m, index) => {
    if (m.id !== index + 1) throw new Error(`storage migration ids must be 1..n in order; found ${m.id} at position ${index + 1}`);
  });
  const sql = storage.sql;
  sql.exec("CREATE TABLE IF NOT EXISTS _migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  const applied = sql.exec<{ id: number }>("SELECT COALESCE(MAX(id), 0) AS id FROM _migrations").one().id;
  for (const migration of migrations.slice(applied)) {
    storage.transactionSync(() => {
      sql.exec(migration.sql);
      sql.exec("INSERT INTO _migrations (id, name, applied_at) VALUES (?, ?, ?)", migration.id, migration.name, Date.now());
    });
  }
}

/** A small key/value table for an object's scalar state. */
export class MetaStore {
  constructor(private readonly sql: SqlStorage) {}

  get(key: string): string | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? row.value : null;
  }

  getNumber(key: string, fallback: number): number {
    const value = this.get(key);
    return value === null ? fallback : Number(value);
  }

  set(key: string, value: string | number): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, String(value));
  }
}
