/** What the pages and the service worker (web/sw.ts) say to each other about the outbox. */

/** The service worker's answer to `POST /api/v1/posts` without a network: 202, the post kept in its outbox. */
export type QueuedResponse = { queued: true };

/** Page → service worker: send the outbox now (the page is back online, or just loaded). */
export type ToServiceWorker = { type: "flush" };

/** Service worker → page. */
export type FromServiceWorker =
  /** A post from the outbox was answered: the response's status and body (the API envelope's text). */
  | { type: "outbox-sent"; key: string; status: number; body: string }
  /** After a flush: the idempotency keys still waiting in the outbox. */
  | { type: "outbox"; keys: string[] };
