import type { AdaptiveLimit } from "../../core/adaptive-limit";
import type { Config } from "../../core/config";
import type { AffinityStore } from "./affinity";
import type { Audience } from "./audience";
import type { D1Access } from "./d1-access";
import type { Inbound } from "./inbound-message";
import type { ErasureTargets } from "./erasure";
import type { JobQueue } from "./jobs";
import type { SessionCache } from "./sessions";
import type { LiveEvent } from "./live";
import type { NotificationStore } from "./notifications";
import type { Timeline, TimelineEntry } from "./timeline";

/** What the UserFeed's helper modules may use of their object: its parts, never its storage directly. */
export interface FeedHost {
  env: Env;
  config: Config;
  userId: string;
  timeline: Timeline;
  jobs: JobQueue;
  audience: Audience;
  notifications: NotificationStore;
  sessions: SessionCache;
  targets: ErasureTargets;
  /** D1 sessions from this user's bookmark: `d1.read()` for reads, `d1.writing` for writes. */
  d1: D1Access;
  affinity: AffinityStore;
  /** Deliveries in flight for this user's fan-out jobs, adapted to their latency (core/adaptive-limit.ts). */
  deliveryLimit: AdaptiveLimit;
  hasSockets(): boolean;
  /** What another object would send this one by RPC, handled here without the hop (the acting user is a recipient too). */
  receive(messages: Inbound[]): Promise<void>;
  /** Closes (4001) every socket not opened with session `keep`; all when null. */
  closeSocketsExcept(keep: string | null): void;
  /** Takes `authorId` out of every socket's profile subscriptions (a block, an erased account). */
  dropSubscriptions(authorId: string): void;
  /** `inHomeFeed`: send as for a home-feed post even if it is no longer in the timeline. */
  pushToOwnSockets(event: LiveEvent, inHomeFeed?: boolean): Promise<number>;
  backfillEntries(authorId: string): Promise<TimelineEntry[]>;
  insertBackfill(entries: TimelineEntry[]): number;
}
