/** WebSocket upgrade: authenticated here, then handed to the viewer's own UserFeed object. */
import { Hono } from "hono";
import { ApiError } from "../errors";
import { requireSession, viewerOf } from "../lib/session";
import type { AppEnv } from "../types";

export const wsRoutes = new Hono<AppEnv>().use(requireSession).get("/", async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new ApiError(400, "VALIDATION_ERROR", "Expected a WebSocket upgrade.");
  const stub = c.env.USER_FEED.getByName(viewerOf(c).id);
  return stub.fetch(c.req.raw);
});
