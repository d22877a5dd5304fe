/**
 * The service worker: serves the app shell when a navigation cannot reach the network, and keeps
 * posts written offline in an outbox (Cache Storage) that it sends, with their original
 * idempotency keys, when the network is back (Background Sync where available, a message from the
 * page on `online`, or the next navigation). A post leaves the outbox only after the server
 * answered it; the server's idempotency records make a repeated send harmless.
 * Everything else (the API, likes, the socket) goes straight to the network.
 */
/// <reference lib="webworker" />
import type { ApiSuccess } from "../schema/api";
import type { FromServiceWorker, QueuedResponse, ToServiceWorker } from "./sw-messages";

declare const VERSION: string;
/** The chunks home.js imports (scripts/build-web.mjs), needed to run the shell offline. */
declare const SHELL_CHUNKS: string[];
const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL_CACHE = `ef-shell-${VERSION}`;
const OUTBOX = "ef-outbox";
// Static Assets serves shell.html at /shell (and redirects /shell.html there): cache the final URL,
// a redirected response cannot answer a navigation.
const SHELL = ["/shell", "/home.js", ...SHELL_CHUNKS, "/favicon.svg"];

sw.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith("ef-shell-") && name !== SHELL_CACHE) await caches.delete(name);
      await sw.clients.claim();
      await flush();
    })(),
  );
});

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (request.method === "POST" && url.pathname === "/api/v1/posts") return event.respondWith(sendOrQueue(request));
  if (request.method !== "GET" || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.waitUntil(flush());
    return event.respondWith(fetch(request).catch(() => fromCache("/shell")));
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.put(url.pathname, copy)));
          }
          return response;
        })
        .catch(() => fromCache(url.pathname)),
    );
  }
});

async function fromCache(path: string): Promise<Response> {
  return (await caches.match(path)) ?? Response.error();
}

async function sendOrQueue(request: Request): Promise<Response> {
  const key = request.headers.get("x-idempotency-key");
  const body = await request.clone().text();
  try {
    return await fetch(request);
  } catch (error) {
    if (!key) throw error;
    const outbox = await caches.open(OUTBOX);
    await outbox.put(`/__outbox/${Date.now()}-${encodeURIComponent(key)}`, new Response(JSON.stringify({ key, body })));
    try {
      await (sw.registration as unknown as { sync?: { register(tag: string): Promise<void> } }).sync?.register("outbox");
    } catch {}
    const queued: ApiSuccess<QueuedResponse> = { success: true, data: { queued: true } };
    return new Response(JSON.stringify(queued), { status: 202, headers: { "content-type": "application/json" } });
  }
}

let flushing: Promise<void> | null = null;
/** Sends the outbox in order; stops at the first network error or 5xx (tried again later). */
function flush(): Promise<void> {
  flushing ??= (async () => {
    try {
      const outbox = await caches.open(OUTBOX);
      for (const entry of await outbox.keys()) {
        const stored = await outbox.match(entry);
        if (!stored) continue;
        const item = (await stored.json()) as { key: string; body: string };
        let response: Response;
        try {
          response = await fetch("/api/v1/posts", {
            method: "POST",
            headers: { "content-type": "application/json", "x-idempotency-key": item.key },
            body: item.body,
            credentials: "same-origin",
          });
        } catch {
          return;
        }
        if (response.status >= 500) return;
        const text = await response.text();
        await outbox.delete(entry);
        for (const client of await sw.clients.matchAll({ type: "window" })) client.postMessage({ type: "outbox-sent", key: item.key, status: response.status, body: text } satisfies FromServiceWorker);
      }
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

async function remainingKeys(): Promise<string[]> {
  const outbox = await caches.open(OUTBOX);
  return (await outbox.keys()).map((r) => decodeURIComponent(new URL(r.url).pathname.split("-").slice(1).join("-")));
}

sw.addEventListener("sync", (event) => {
  const e = event as ExtendableEvent & { tag?: string };
  if (e.tag === "outbox") e.waitUntil(flush());
});

sw.addEventListener("message", (event) => {
  if ((event.data as ToServiceWorker | undefined)?.type !== "flush") return;
  event.waitUntil(
    flush()
      .then(remainingKeys)
      .then((keys) => (event.source as Client | null)?.postMessage({ type: "outbox", keys } satisfies FromServiceWorker)),
  );
});
