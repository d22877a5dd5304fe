/**
 * The UserFeed's own storage, as append-only, id-checked migrations (durable-objects/migrations.ts):
 * each part's tables live beside its code; this list is the order they were shipped in. Never
 * edit or reorder a shipped step; add the next id.
 */
import type { StorageMigration } from "../migrations";
import { AFFINITY_SCHEMA } from "./affinity";
import { AUDIENCE_SCHEMA } from "./audience";
import { ERASURE_SCHEMA } from "./erasure";
import { IDEMPOTENCY_SCHEMA } from "./idempotency";
import { JOBS_SCHEMA } from "./jobs";
import { NOTIFICATIONS_SCHEMA } from "./notifications";
import { SESSION_CHECKED_AT, SESSION_SCHEMA } from "./sessions";
import { SNAPSHOT_SCHEMA } from "./snapshots";
import { TIMELINE_SCHEMA } from "./timeline";

export const USER_FEED_MIGRATIONS: StorageMigration[] = [
  { id: 1, name: "meta", sql: "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);" },
  { id: 2, name: "timeline", sql: TIMELINE_SCHEMA },
  { id: 3, name: "idempotency", sql: IDEMPOTENCY_SCHEMA },
  { id: 4, name: "jobs", sql: JOBS_SCHEMA },
  { id: 5, name: "snapshots", sql: SNAPSHOT_SCHEMA },
  { id: 6, name: "audience", sql: AUDIENCE_SCHEMA },
  { id: 7, name: "sessions", sql: SESSION_SCHEMA },
  { id: 8, name: "sessions checked_at", sql: SESSION_CHECKED_AT },
  { id: 9, name: "notifications", sql: NOTIFICATIONS_SCHEMA },
  { id: 10, name: "erasure targets", sql: ERASURE_SCHEMA },
  { id: 11, name: "affinity", sql: AFFINITY_SCHEMA },
];
