/** What the store's parts share: web/store.ts makes one per store and hands it to each part. */
import type { Signal } from "@preact/signals";
import type { ApiPort, BootState, Me, Pending } from "./store-core";
import type { FeedState } from "./store-feed";
import type { PendingRules } from "./store-pending";

/** What the store's parts share (web/store.ts makes one per store): the feed's state and the pending rules, flat. */
export interface StoreContext extends FeedState, PendingRules {
  boot: BootState;
  api: ApiPort;
  clock: () => number;
  viewer: Me | null;
  pending: Signal<Pending[]>;
  /** Shows a message in the page's alert region. */
  fail: (text: string) => void;
}
