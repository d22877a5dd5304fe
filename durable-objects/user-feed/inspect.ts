/** What a UserFeed holds, for operators (GET /api/v1/admin/users/:username/state, `npm run inspect`). */
import type { Connection } from "partyserver";
import type { Audience } from "./audience";
import type { IdempotencyStore } from "./idempotency";
import type { JobQueue } from "./jobs";
import type { NotificationStore } from "./notifications";
import { stateOf } from "./live";
import type { SnapshotStore } from "./snapshots";
import type { Timeline } from "./timeline";

export interface FeedParts {
  userId: string;
  timeline: Timeline;
  snapshots: SnapshotStore;
  idempotency: IdempotencyStore;
  jobs: JobQueue;
  audience: Audience;
  notifications: NotificationStore;
  connections: Iterable<Connection>;
  lastActiveWrite: number;
  alarm: number | null;
  d1Bookmark: string | null;
  affinity: Record<string, number>;
  affinityBuiltAt: number | null;
}

export function inspectFeed(parts: FeedParts) {
  const { timeline } = parts;
  return {
    userId: parts.userId,
    timeline: { size: timeline.size, horizon: timeline.horizon, newestSeq: timeline.newestSeq, reloadBelowSeq: timeline.reloadBelowSeq, newest: timeline.newest(10) },
    snapshots: parts.snapshots.list(),
    sockets: [...parts.connections].map((c) => {
      const s = stateOf(c);
      return { id: c.id, connectedAt: s.connectedAt, subscriptions: s.subs, watching: s.watch.length };
    }),
    idempotency: parts.idempotency.summary(),
    jobs: parts.jobs.list().map((j) => ({ ...j, payload: undefined })),
    audience: parts.audience.summary(Date.now()),
    notifications: parts.notifications.summary(),
    lastActiveWrite: parts.lastActiveWrite,
    alarm: parts.alarm,
    d1Bookmark: parts.d1Bookmark,
    affinity: parts.affinity,
    affinityBuiltAt: parts.affinityBuiltAt,
  };
}
