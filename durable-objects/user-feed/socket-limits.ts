/**
 * The socket's own limits (API.md, WebSocket): at most MAX_SOCKETS_PER_USER open per user (a
 * further one closes the oldest), at most MESSAGES_PER_SECOND client messages a second per socket
 * (past that each gets an `error` RATE_LIMITED; past twice that in one second the socket is closed
 * with 1008). Of those, at most HEAVY_PER_SECOND may be messages that make the object call others
 * (watch_posts, subscribe_feed, unsubscribe_feed: a D1 query and calls to authors' objects); the
 * web client, debounced, sends ~3 a second while scrolling.
 * At most CONNECTS_PER_MINUTE upgrades a minute per user (each one goes online: leases, watches).
 * Close codes a client must not reconnect from are 4001 and 4008.
 */
import type { Connection } from "partyserver";
import { stateOf } from "./live";

export const MAX_SOCKETS_PER_USER = 10;
export const MESSAGES_PER_SECOND = 20;
export const HEAVY_PER_SECOND = 5;
export const CONNECTS_PER_MINUTE = 30;

export const CLOSE_SESSION_ENDED = { code: 4001, reason: "session ended" } as const;
export const CLOSE_TOO_MANY_SOCKETS = { code: 4008, reason: "too many sockets" } as const;
export const CLOSE_POLICY = { code: 1008, reason: "too many messages" } as const;
export const CLOSE_TOO_MANY_CONNECTS = { code: 1008, reason: "too many connections" } as const;

export function closeSocket(connection: Connection, close: { code: number; reason: string }): void {
  try {
    connection.close(close.code, close.reason);
  } catch {
    // already closed
  }
}

/**
 * Per-socket message counts in fixed one-second windows, in memory: a socket that sends enough to
 * be limited keeps its object awake, so hibernation (which clears this) never lets a flood through.
 */
export class MessageRate {
  private readonly windows = new Map<string, { start: number; count: number; heavy: number }>();

  /** "ok", "limited" (answer RATE_LIMITED, do nothing) or "close". */
  take(connectionId: string, heavy: boolean, now = Date.now()): "ok" | "limited" | "close" {
    const start = now - (now % 1000);
    const window = this.windows.get(connectionId);
    const current = window && window.start === start ? window : { start, count: 0, heavy: 0 };
    current.count++;
    if (heavy) current.heavy++;
    this.windows.set(connectionId, current);
    if (current.count > 2 * MESSAGES_PER_SECOND) return "close";
    return current.count <= MESSAGES_PER_SECOND && !(heavy && current.heavy > HEAVY_PER_SECOND) ? "ok" : "limited";
  }

  forget(connectionId: string): void {
    this.windows.delete(connectionId);
  }
}

/** A new socket past MAX_SOCKETS_PER_USER closes the user's oldest (4008). */
export function closeOldestPastCap(connections: Iterable<Connection>, newest: Connection): void {
  const others = [...connections].filter((c) => c.id !== newest.id);
  if (others.length < MAX_SOCKETS_PER_USER) return;
  others.sort((a, b) => stateOf(a).connectedAt - stateOf(b).connectedAt);
  for (const oldest of others.slice(0, others.length - MAX_SOCKETS_PER_USER + 1)) closeSocket(oldest, CLOSE_TOO_MANY_SOCKETS);
}

/** The sessions (token hashes) the open sockets belong to. */
export function socketSessions(connections: Iterable<Connection>): string[] {
  return [...new Set([...connections].flatMap((c) => stateOf(c).sid ?? []))];
}

export function closeSessionSockets(connections: Iterable<Connection>, sid: string): void {
  for (const connection of connections) if (stateOf(connection).sid === sid) closeSocket(connection, CLOSE_SESSION_ENDED);
}

/** Closes every socket not opened with session `keep` (all of them when null): 4001. */
export function closeSocketsExcept(connections: Iterable<Connection>, keep: string | null): void {
  for (const connection of connections) if (keep === null || stateOf(connection).sid !== keep) closeSocket(connection, CLOSE_SESSION_ENDED);
}

/** Closes the sockets whose session has ended (`isValid` asks D1 again for those trusted too long). */
export async function closeEndedSessions(connections: Iterable<Connection>, isValid: (sid: string) => Promise<boolean>): Promise<void> {
  const list = [...connections];
  for (const sid of socketSessions(list)) if (!(await isValid(sid))) closeSessionSockets(list, sid);
}

/** A client message that makes the object call others (counted against HEAVY_PER_SECOND). */
export function isHeavyMessage(raw: string | ArrayBuffer): boolean {
  return typeof raw === "string" && /"type"\s*:\s*"(watch_posts|subscribe_feed|unsubscribe_feed)"/.test(raw);
}

/** Upgrades per user in the last minute, in memory (an evicted object starts again: it had none). */
export class ConnectRate {
  private times: number[] = [];
  /** Sockets refused here: they never went online, so their close must not go offline (a D1 write each). */
  private readonly refusedIds = new Set<string>();

  /** false when this upgrade (socket `id`) is one too many. */
  take(id: string, now = Date.now()): boolean {
    this.times = this.times.filter((t) => now - t < 60_000);
    this.times.push(now);
    const ok = this.times.length <= CONNECTS_PER_MINUTE;
    if (!ok) this.refusedIds.add(id);
    return ok;
  }

  /** true (once) when socket `id` was refused by `take`. */
  refused(id: string): boolean {
    return this.refusedIds.delete(id);
  }
}

/**
 * What each socket was sent lately, so one post reaching a socket by two paths (its home feed and
 * a profile subscription; a fan-out edit and a watch) arrives once. In memory, a few dozen keys a
 * socket; hibernation forgets them, which at worst lets one repeat through.
 */
export class RecentPushes {
  private readonly sent = new Map<string, string[]>();

  /** true when `key` was already sent to this socket (and remembers it otherwise). */
  seen(connectionId: string, key: string): boolean {
    const keys = this.sent.get(connectionId) ?? [];
    if (keys.includes(key)) return true;
    keys.push(key);
    if (keys.length > 64) keys.shift();
    this.sent.set(connectionId, keys);
    return false;
  }

  forget(connectionId: string): void {
    this.sent.delete(connectionId);
  }
}
