/**
 * The viewer's open sockets (hibernating): what each one wants, stored in its attachment so it
 * survives hibernation, and which live events reach which socket.
 */
import type { Connection } from "partyserver";
import type { EngagementUpdate, NotificationMessage, Post, ServerMessage } from "../../schema/api";

/** Socket attachment, versioned: later versions only add optional fields. */
export interface SocketStateV1 {
  v: 1;
  /** Authors whose new posts this socket follows live (profile pages). */
  subs: string[];
  /** Posts on this socket's screen (`watch_posts`). */
  watch: string[];
  connectedAt: number;
  /** SHA-256 of the session token the socket was opened with: ending that session closes it. */
  sid?: string;
}
export type SocketState = SocketStateV1;

/** Events one object sends another's sockets. */
export type LiveEvent =
  | { type: "new_post"; post: Post; via: "home" | "author" }
  | ({ type: "engagement_update" } & EngagementUpdate)
  | { type: "post_update"; post: Post }
  | { type: "post_deleted"; postId: string }
  /** This user's own notifications: every one of their sockets gets it. */
  | { type: "notification"; payload: NotificationMessage };

export function stateOf(connection: Connection): SocketState {
  const state = connection.state as Partial<SocketState> | null;
  return { v: 1, subs: state?.subs ?? [], watch: state?.watch ?? [], connectedAt: state?.connectedAt ?? 0, sid: state?.sid };
}

export function message(type: ServerMessage["type"], payload: unknown, correlationId?: string): string {
  return JSON.stringify({ type, payload, timestamp: new Date().toISOString(), ...(correlationId ? { correlationId } : {}) });
}

function toMessage(event: LiveEvent): string {
  switch (event.type) {
    case "new_post":
      return message("new_post", { post: event.post });
    case "engagement_update": {
      const { type: _type, ...update } = event;
      return message("engagement_update", update);
    }
    case "notification":
      return message("notification", event.payload);
    case "post_update":
      return message("post_update", { post: event.post });
    case "post_deleted":
      return message("post_update", { postId: event.postId, deleted: true });
  }
}

/** The post an event is about (none for a notification). */
export const postIdOf = (event: LiveEvent): string | null =>
  event.type === "new_post" || event.type === "post_update" ? event.post.id : event.type === "notification" ? null : event.postId;

/** Sends to one socket; false when it closed meanwhile (a tab may go away during any await). */
export function safeSend(connection: Connection, text: string): boolean {
  try {
    connection.send(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends `event` to the sockets that want it; returns how many have it (sent now, or before by
 * another path: `recent` remembers what each socket was sent).
 * `inHomeFeed` tells whether the post is in the viewer's timeline (home-feed posts get their
 * updates without being watched explicitly).
 */
export function dispatch(connections: Iterable<Connection>, event: LiveEvent, inHomeFeed: boolean, recent?: { seen(connectionId: string, key: string): boolean }): number {
  const text = toMessage(event);
  const key = dedupeKey(event);
  let reached = 0;
  for (const connection of connections) {
    const state = stateOf(connection);
    const wants =
      event.type === "notification" ||
      (event.type === "new_post"
        ? event.via === "home" || state.subs.includes(event.post.authorId)
        : inHomeFeed || state.watch.includes(postIdOf(event)!));
    if (!wants) continue;
    // Already sent by another path: the socket has it, which counts as reached.
    if (key !== null && recent?.seen(connection.id, key)) reached++;
    else if (safeSend(connection, text)) reached++;
  }
  return reached;
}

/** Events that can reach a socket by two paths, keyed so the second is dropped; counts are never deduplicated. */
function dedupeKey(event: LiveEvent): string | null {
  if (event.type === "new_post") return `new:${event.post.id}`;
  if (event.type === "post_update") return `edit:${event.post.id}:${event.post.updatedAt}`;
  if (event.type === "post_deleted") return `del:${event.postId}`;
  return null;
}

/** Removes `authorId` from every socket's profile subscriptions. */
export function dropSubscriptions(connections: Iterable<Connection>, authorId: string): void {
  for (const connection of connections) {
    const state = stateOf(connection);
    if (state.subs.includes(authorId)) connection.setState({ ...state, subs: state.subs.filter((id) => id !== authorId) });
  }
}
