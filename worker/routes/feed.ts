/**
 * The home feed and its catch-up call: one call to the viewer's UserFeed, which checks the
 * session itself and does the rest. No D1 session lookup here (worker/lib/session.ts): the signed
 * cookie names the user, the object holds that user's sessions, so a read costs one object call
 * and the object's one D1 query.
 */
import { Hono } from "hono";
import { feedQuery, updatesQuery, type FeedQuery } from "../../schema/api";
import { jsonEnvelope } from "../lib/envelope";
import { requireClaim } from "../lib/session";
import { validate } from "../lib/validate";
import type { AppEnv } from "../types";

export const feedRoutes = new Hono<AppEnv>()
  .use(requireClaim)
  .get("/", validate("query", feedQuery), async (c) => {
    const query: FeedQuery = c.req.valid("query");
    const { userId, tokenHash } = c.get("claim")!;
    return jsonEnvelope(c, await c.env.USER_FEED.getByName(userId).readFeed(query, tokenHash));
  })
  .get("/updates", validate("query", updatesQuery), async (c) => {
    const { userId, tokenHash } = c.get("claim")!;
    return jsonEnvelope(c, await c.env.USER_FEED.getByName(userId).readUpdates(c.req.valid("query").since, tokenHash));
  });
