/** The home feed and its catch-up call: one call to the viewer's UserFeed, which does the rest. */
import { Hono } from "hono";
import { feedQuery, updatesQuery, type FeedQuery } from "../../schema/api";
import { jsonEnvelope } from "../lib/envelope";
import { requireSession, viewerOf } from "../lib/session";
import { validate } from "../lib/validate";
import type { AppEnv } from "../types";

export const feedRoutes = new Hono<AppEnv>()
  .use(requireSession)
  .get("/", validate("query", feedQuery), async (c) => {
    const query: FeedQuery = c.req.valid("query");
    const feed = c.env.USER_FEED.getByName(viewerOf(c).id);
    return jsonEnvelope(c, 200, await feed.readFeed(query));
  })
  .get("/updates", validate("query", updatesQuery), async (c) =>
    jsonEnvelope(c, 200, await c.env.USER_FEED.getByName(viewerOf(c).id).readUpdates(c.req.valid("query").since)),
  );
