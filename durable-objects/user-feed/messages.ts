/**
 * Client → server socket messages. Every message is size-checked and validated before anything
 * acts on it; a bad one gets an `error` and the socket stays open.
 */
import type { Connection } from "partyserver";
import { CLIENT_MESSAGE_TYPES, clientMessage, LIMITS } from "../../schema/api";
import { findUserVisibleTo } from "../../core/users";
import type { Db } from "../../core/d1";
import { log } from "../../core/log";
import { message, safeSend, stateOf } from "./live";

export function sendError(connection: Connection, code: string, text: string, correlationId?: string) {
  safeSend(connection, message("error", { code, message: text }, correlationId));
}

/** What handling a client message needs of the UserFeed (a narrow view, not the object). */
export interface MessageHost {
  /** The user this object belongs to. */
  readonly name: string;
  getConnections(): Iterable<Connection>;
  watchPosts(postIds: readonly string[]): Promise<void>;
}

/** `db`: a read session from the user's bookmark (user-feed/d1-access.ts). */
export async function handleClientMessage(feed: MessageHost, env: Env, db: Db, connection: Connection, raw: string | ArrayBuffer): Promise<void> {
  const size = typeof raw === "string" ? new TextEncoder().encode(raw).byteLength : raw.byteLength;
  if (size > LIMITS.wsMessageMaxBytes) return sendError(connection, "MESSAGE_TOO_LARGE", `Messages are limited to ${LIMITS.wsMessageMaxBytes} bytes.`);
  if (typeof raw !== "string") return sendError(connection, "INVALID_MESSAGE", "Messages must be JSON text.");
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return sendError(connection, "INVALID_JSON", "Messages must be JSON.");
  }
  const requestId = typeof (data as { requestId?: unknown })?.requestId === "string" ? (data as { requestId: string }).requestId.slice(0, 128) : undefined;
  const type = (data as { type?: unknown })?.type;
  const parsed = clientMessage.safeParse(data);
  if (!parsed.success) {
    const known = (CLIENT_MESSAGE_TYPES as readonly string[]).includes(String(type));
    return sendError(
      connection,
      known ? "VALIDATION_ERROR" : "UNKNOWN_MESSAGE_TYPE",
      known ? `Invalid ${String(type)} message: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}` : `Unknown message type "${String(type)}".`,
      requestId,
    );
  }
  const msg = parsed.data;
  try {
    switch (msg.type) {
      case "ping":
        return void safeSend(connection, message("pong", {}, msg.requestId));
      case "subscribe_feed": {
        const { userId } = msg.payload;
        // Only an author's own posts can be followed live; a home feed is its owner's alone. An
        // author absent to the viewer (blocked either way, deleted) is not found, like a profile.
        const author = await findUserVisibleTo(db, feed.name, { id: userId });
        if (!author) return sendError(connection, "USER_NOT_FOUND", "No such user.", msg.requestId);
        const state = stateOf(connection);
        if (!state.subs.includes(userId)) {
          if (state.subs.length >= 20) return sendError(connection, "FORBIDDEN", "At most 20 live subscriptions per tab.", msg.requestId);
          connection.setState({ ...state, subs: [...state.subs, userId] });
        }
        if (userId !== feed.name) await env.USER_FEED.getByName(userId).subscribe(feed.name);
        return void safeSend(connection, message("subscribed", { userId }, msg.requestId));
      }
      case "unsubscribe_feed": {
        const { userId } = msg.payload;
        const state = stateOf(connection);
        // Only a subscription this socket holds reaches the author's object: an unknown id must
        // never wake (or create) an object.
        if (state.subs.includes(userId)) {
          connection.setState({ ...state, subs: state.subs.filter((id) => id !== userId) });
          const others = [...feed.getConnections()].some((c) => c.id !== connection.id && stateOf(c).subs.includes(userId));
          if (!others && userId !== feed.name) await env.USER_FEED.getByName(userId).unsubscribe(feed.name);
        }
        return void safeSend(connection, message("unsubscribed", { userId }, msg.requestId));
      }
      case "watch_posts": {
        const postIds = [...new Set(msg.payload.postIds)];
        connection.setState({ ...stateOf(connection), watch: postIds });
        await feed.watchPosts(postIds);
        return void safeSend(connection, message("watching", { count: postIds.length }, msg.requestId));
      }
    }
  } catch (error) {
    log("error", "socket message failed", { userId: feed.name, type: msg.type, error: String(error) });
    sendError(connection, "INTERNAL_ERROR", "That did not work; try again.", msg.requestId);
  }
}
