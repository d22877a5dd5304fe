/**
 * Live updates: one partysocket per tab to /api/v1/ws (its own reconnect with backoff), catch-up
 * through /api/v1/feed/updates and /api/v1/notifications on every (re)connect, and polling of the
 * same calls while there is no socket. On-screen posts are sent as `watch_posts`.
 */
import { effect } from "@preact/signals";
import ReconnectingWebSocket from "partysocket/ws";
import type { ClientMessage, ServerMessage } from "../schema/api";
import { WATCH_MAX } from "./lib/limits";
import { isTemp, type Store } from "./store";

const POLL_MS = 10_000;

export function connectLive(store: Store): void {
  if (!store.viewer) return;
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/ws`;
  const ws = new ReconnectingWebSocket(url, [], { minReconnectionDelay: 500 + Math.random() * 1500, maxReconnectionDelay: 30_000, connectionTimeout: 8000 });
  const send = (m: ClientMessage) => ws.readyState === 1 && ws.send(JSON.stringify(m));
  const profileId = store.boot.page === "profile" ? store.boot.profile?.id : undefined;
  let watched = "";

  store.socket.value = "connecting";
  ws.addEventListener("open", () => {
    store.socket.value = "open";
    watched = "";
    if (profileId) send({ type: "subscribe_feed", payload: { userId: profileId } });
    sendWatch();
    void store.catchUp();
    void store.notifications.refresh();
  });
  ws.addEventListener("close", (event) => {
    // 4001: this session ended (log-out elsewhere, password change): never reconnect with it;
    // a reload shows the sign-in page. 4008: newer tabs took this one's place; it keeps polling.
    if (event.code === 4001) return (ws.close(), location.reload());
    if (event.code === 4008) return (ws.close(), (store.socket.value = "closed"));
    store.socket.value = "connecting";
  });
  ws.addEventListener("message", (event) => {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(String(event.data));
    } catch {
      return;
    }
    switch (msg.type) {
      case "new_post":
        return store.receivePost(msg.payload.post);
      case "engagement_update": {
        const update = msg.payload;
        if ("commentId" in update) return store.serverCommentCount(update.commentId, update.field, update.newValue);
        return store.serverCount(update.postId, update.field, update.newValue);
      }
      case "post_update":
        return store.postUpdated(msg.payload);
      case "notification":
        return store.notifications.receive(msg.payload);
    }
  });

  function sendWatch() {
    const ids = store.onScreen.value.filter((id) => !isTemp(id)).slice(0, WATCH_MAX);
    const key = ids.join();
    if (key === watched || ws.readyState !== 1) return;
    watched = key;
    send({ type: "watch_posts", payload: { postIds: ids } });
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  effect(() => {
    store.onScreen.value;
    clearTimeout(timer);
    timer = setTimeout(sendWatch, 300);
  });

  setInterval(() => {
    if (store.socket.value !== "open" && navigator.onLine) void store.catchUp().then(() => store.notifications.refresh());
  }, POLL_MS);
}
