/**
 * WebSocket upgrade: refused from another origin (403, cross-site WebSocket hijacking: a browser
 * sends the victim's cookie with any page's upgrade), authenticated here, then handed to the
 * viewer's own UserFeed object with the session it belongs to, so ending that session closes it.
 */
import { Hono } from "hono";
import { ApiError } from "../../core/errors";
import { rejectCrossOrigin } from "../middleware/body-guard";
import { requireSession, sessionClaim, SOCKET_SESSION_HEADER, viewerOf } from "../lib/session";
import type { AppEnv } from "../types";

export const wsRoutes = new Hono<AppEnv>()
  .use(async function refuseOtherOrigins(c, next) {
    rejectCrossOrigin(c);
    await next();
  })
  .use(requireSession)
  .get("/", async (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new ApiError(400, "VALIDATION_ERROR", "Expected a WebSocket upgrade.");
    const claim = await sessionClaim(c);
    if (!claim) throw new ApiError(401, "UNAUTHENTICATED", "Sign in to continue.");
    // partyserver takes a connection id from `?_pk=`; a client choosing its own could give many
    // sockets one id and slip past the per-user socket cap, so the server always picks it.
    const url = new URL(c.req.url);
    url.searchParams.delete("_pk");
    const upgrade = new Request(url, c.req.raw);
    upgrade.headers.set(SOCKET_SESSION_HEADER, claim.tokenHash);
    return c.env.USER_FEED.getByName(viewerOf(c).id).fetch(upgrade);
  });
