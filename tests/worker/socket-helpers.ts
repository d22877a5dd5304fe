/** Real WebSockets to the worker (in workerd), with a message inbox tests can wait on. */
import { afterEach } from "vitest";
import { checkedFetch } from "./contract";
import type { Client } from "./helpers";
import { BASE } from "./helpers";

export interface ServerMsg {
  type: string;
  payload: any;
  timestamp: string;
  correlationId?: string;
}

export class Inbox {
  readonly messages: ServerMsg[] = [];
  private waiters: { match: (m: ServerMsg) => boolean; resolve: (m: ServerMsg) => void }[] = [];
  closed = false;
  /** The close frame's code and reason, once closed. */
  closeCode: number | null = null;
  closeReason = "";
  private onClose: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      const msg = typeof event.data === "string" && event.data.startsWith("{") ? (JSON.parse(event.data) as ServerMsg) : { type: "raw", payload: event.data, timestamp: "" };
      this.messages.push(msg);
      this.waiters = this.waiters.filter((w) => (w.match(msg) ? (w.resolve(msg), false) : true));
    });
    ws.addEventListener("close", (event) => {
      this.closed = true;
      this.closeCode = event.code;
      this.closeReason = event.reason;
      this.onClose.splice(0).forEach((f) => f());
    });
  }

  send(data: unknown): void {
    this.ws.send(typeof data === "string" ? data : JSON.stringify(data));
  }

  /** The first message (already received or future) matching `match`; rejects after `ms`. */
  next(match: (m: ServerMsg) => boolean, ms = 5000): Promise<ServerMsg> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${ms} ms; got ${JSON.stringify(this.messages.map((m) => m.type))}`)), ms);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Resolves true if no matching message arrives within `ms`. */
  async none(match: (m: ServerMsg) => boolean, ms = 500): Promise<boolean> {
    try {
      await this.next(match, ms);
      return false;
    } catch {
      return true;
    }
  }

  /** Resolves with the close code once the server (or we) closed the socket; rejects after `ms`. */
  closedWith(ms = 5000): Promise<number> {
    if (this.closed) return Promise.resolve(this.closeCode ?? 0);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
      this.onClose.push(() => (clearTimeout(timer), resolve(this.closeCode ?? 0)));
    });
  }

  close(): void {
    try {
      this.ws.close(1000, "done");
    } catch {
      // already closed
    }
  }
}

export async function openSocket(client: Client, headers: Record<string, string> = {}): Promise<{ res: Response; inbox?: Inbox }> {
  const res = await checkedFetch(new Request(`${BASE}/api/v1/ws`, { headers: { Upgrade: "websocket", cookie: client.cookie, ...headers } }));
  if (!res.webSocket) return { res };
  res.webSocket.accept();
  return { res, inbox: new Inbox(res.webSocket) };
}

/** Opens a socket and waits for its connection_ack. */
export async function connect(client: Client): Promise<Inbox> {
  const { res, inbox } = await openSocket(client);
  if (!inbox) throw new Error(`upgrade failed: ${res.status} ${await res.text()}`);
  await inbox.next((m) => m.type === "connection_ack");
  return inbox;
}

/** `live(client)` opens a socket (acknowledged) that is closed after the current test. */
export function socketsClosedAfterEach(): (client: Client) => Promise<Inbox> {
  const open: Inbox[] = [];
  afterEach(() => open.splice(0).forEach((i) => i.close()));
  return async (client) => {
    const inbox = await connect(client);
    open.push(inbox);
    return inbox;
  };
}
