/**
 * What the signed-in pages add after start-up: the offline cache and service worker, the live
 * socket (every page: the notification badge is on every page), and on the feeds the viewport
 * tracking that decides whether a new post goes in at once or behind the banner.
 */
import { connectLive } from "./live";
import { setupOffline } from "./offline";
import type { Store } from "./store";

const IDLE_MS = 1200;
const TOP_PX = 120;

export function attach(store: Store, shell: boolean): void {
  setupOffline(store);
  const page = store.boot.page;
  if (!store.viewer) return;
  connectLive(store);
  if (page !== "home" && page !== "profile") return;
  // "At the top and idle": scrolled near the top with no input for a moment.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idle = true;
  const update = () => store.setViewport(window.scrollY < TOP_PX, idle);
  const busy = () => {
    idle = false;
    update();
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      update();
    }, IDLE_MS);
  };
  for (const type of ["scroll", "wheel", "touchstart", "keydown", "pointerdown"]) addEventListener(type, busy, { passive: true });
  if (shell && navigator.onLine && page === "home") void store.reload();
}
