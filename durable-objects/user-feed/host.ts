import type { Config } from "../../core/config";
import type { Audience } from "./audience";
import type { Inbound } from "./inbound-message";
import type { JobQueue } from "./jobs";
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
  hasSockets(): boolean;
  /** What another object would send this one by RPC, handled here without the hop (the acting user is a recipient too). */
  receive(messages: Inbound[]): Promise<void>;
  pushToOwnSockets(event: LiveEvent): Promise<number>;
  backfillEntries(authorId: string): Promise<TimelineEntry[]>;
  insertBackfill(entries: TimelineEntry[]): number;
}
