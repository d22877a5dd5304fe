/**
 * A request id on every API call (honouring an incoming X-Request-Id), returned to the client and
 * written with one structured JSON log line per request.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../types";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export const requestContext = createMiddleware<AppEnv>(async function requestContext(c, next) {
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", requestId);
  const started = Date.now();
  await next();
  if (c.res.webSocket) {
    // A 101 from a Durable Object has immutable headers: re-wrap it to add ours.
    const headers = new Headers(c.res.headers);
    headers.set("X-Request-Id", requestId);
    c.res = new Response(null, { status: c.res.status, webSocket: c.res.webSocket, headers });
  } else {
    c.res.headers.set("X-Request-Id", requestId);
  }
  console.log(
    JSON.stringify({
      level: c.res.status >= 500 ? "error" : "info",
      msg: "request",
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Date.now() - started,
      userId: c.get("viewer")?.id ?? c.get("claim")?.userId,
    }),
  );
});
