/**
 * The viewer's notifications (API.md, Notifications). They live in the viewer's own UserFeed: a
 * read is one call to it, which checks the session itself (like the feed); marking read is a
 * mutation of that object's state, through the same runner as every mutation.
 */
import { Hono } from "hono";
import { listQuery, readNotificationsBody } from "../../schema/api";
import { jsonEnvelope } from "../lib/envelope";
import { mutate } from "../lib/mutate";
import { requireClaim, requireSession } from "../lib/session";
import { validate } from "../lib/validate";
import type { AppEnv } from "../types";

export const notificationRoutes = new Hono<AppEnv>()
  .get("/", requireClaim, validate("query", listQuery), async (c) => {
    const { userId, tokenHash } = c.get("claim")!;
    return jsonEnvelope(c, await c.env.USER_FEED.getByName(userId).readNotifications(c.req.valid("query"), tokenHash));
  })
  .post("/read", requireSession, validate("json", readNotificationsBody), (c) => mutate(c, { kind: "readNotifications", upTo: c.req.valid("json").upTo ?? null }));
