/**
 * Many WebSockets from one Node process to /api/v1/ws, each with its session cookie.
 * Uses Node 22's built-in WebSocket (undici, which accepts `headers`); falls back to `ws`.
 */
let Impl = globalThis.WebSocket;

export async function openSocket(baseUrl, token, { onMessage, timeoutMs = 15_000, headers: extra = {} } = {}) {
  const url = `${baseUrl.replace(/^http/, "ws")}/api/v1/ws`;
  const headers = { cookie: `ef_session=${token}`, ...extra };
  let ws;
  try {
    ws = new Impl(url, { headers });
  } catch {
    const mod = await import("ws");
    Impl = mod.WebSocket;
    ws = new Impl(url, { headers });
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no connection_ack")), timeoutMs);
    const sock = { ws, messages: 0, errors: [], closed: false };
    ws.addEventListener("message", (event) => {
      const at = performance.now();
      sock.messages += 1;
      const text = typeof event.data === "string" ? event.data : "";
      let msg = null;
      try {
        msg = text.startsWith("{") ? JSON.parse(text) : { type: "raw", payload: text };
      } catch {}
      if (msg?.type === "connection_ack") {
        clearTimeout(timer);
        resolve(sock);
      }
      if (msg?.type === "error") sock.errors.push(msg.payload);
      onMessage?.(msg, at, sock);
    });
    ws.addEventListener("error", (e) => {
      clearTimeout(timer);
      sock.errors.push({ code: "SOCKET_ERROR", message: String(e?.message ?? e?.type) });
      reject(new Error("socket error"));
    });
    ws.addEventListener("close", () => (sock.closed = true));
  });
}

/** Opens `tokens.length` sockets, `concurrency` handshakes at a time. */
export async function openMany(baseUrl, tokens, { concurrency = 16, onMessage } = {}) {
  const sockets = new Array(tokens.length);
  let next = 0;
  let failed = 0;
  async function worker() {
    while (next < tokens.length) {
      const i = next++;
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          sockets[i] = await openSocket(baseUrl, tokens[i], { onMessage: (m, at, s) => onMessage?.(m, at, s, i) });
          break;
        } catch {
          if (attempt === 2) failed++;
        }
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { sockets: sockets.filter(Boolean), failed };
}

export function closeAll(sockets) {
  for (const s of sockets) {
    try {
      s.ws.close(1000, "done");
    } catch {}
  }
}
