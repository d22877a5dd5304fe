/** The home feed and its catch-up call (worker/routes/feed.ts). */
import { feedQuery, updatesQuery } from "../../schema/api";
import { feedResponseSchema, feedUpdatesResponseSchema } from "../../schema/responses";
import { routes } from "./route";

export const feedRoutesDoc = routes(
  {
    method: "get",
    path: "/api/v1/feed",
    operationId: "feed",
    tag: "feed",
    summary: "The viewer's home feed",
    description:
      "The viewer's own posts and those of everyone they follow that they may see. `limit` defaults to 20; above 50 it is 50. " +
      "Following `nextCursor` until `hasMore` is false yields every visible post once, even while posts arrive.",
    session: true,
    query: feedQuery,
    success: { status: 200, description: "A page of the feed.", data: feedResponseSchema },
    errors: { 400: ["INVALID_CURSOR"] },
  },
  {
    method: "get",
    path: "/api/v1/feed/updates",
    operationId: "feedUpdates",
    tag: "feed",
    summary: "Posts that entered the feed since a cursor",
    description: "`since` is the `newestCursor` of a previous feed or updates call. For clients without a socket and for reconnects.",
    session: true,
    query: updatesQuery,
    success: { status: 200, description: "The new posts, or `reload: true` when the gap is older than the timeline holds.", data: feedUpdatesResponseSchema },
    errors: { 400: ["INVALID_CURSOR"] },
  },
);
