/** Profiles, the follow graph, and an author's posts. */
import { Hono, type Context } from "hono";
import { z } from "zod";
import { listQuery, updateProfileBody, type ListQuery, type UserListResponse } from "../../schema/api";
import { readConfig } from "../../core/config";
import { decodeCursor, encodeCursor } from "../../core/cursor";
import { mutate } from "../lib/mutate";
import { requireSession, viewerOf } from "../lib/session";
import { validate } from "../lib/validate";
import { authorPostsPage } from "../../core/posts";
import { loadProfile, requireUserByUsername, toUserSummary, type UserRecord } from "../../core/users";
import type { AppEnv } from "../types";

const idCursor = z.object({ b: z.string().min(1).max(64) });

export const userRoutes = new Hono<AppEnv>()
  .use(requireSession)
  .patch("/me", validate("json", updateProfileBody), (c) => mutate(c, { kind: "updateProfile", body: c.req.valid("json") }))
  .get("/:username", async (c) => {
    const user = await requireUserByUsername(c.env.DB, c.req.param("username"));
    const profile = await loadProfile(c.env.DB, viewerOf(c).id, user, readConfig(c.env).celebrityThreshold);
    return c.json({ success: true as const, data: { user: profile } }, 200);
  })
  .post("/:username/follow", (c) => mutate(c, { kind: "follow", username: c.req.param("username") }))
  .delete("/:username/follow", (c) => mutate(c, { kind: "unfollow", username: c.req.param("username") }))
  .get("/:username/posts", validate("query", listQuery), async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const before = cursor ? decodeCursor(cursor, idCursor).b : null;
    const viewer = viewerOf(c);
    const author = await requireUserByUsername(c.env.DB, c.req.param("username"));
    const data = await authorPostsPage(c.env.DB, viewer.id, author.id, before, limit, readConfig(c.env).celebrityThreshold);
    return c.json({ success: true as const, data }, 200);
  })
  .get("/:username/followers", validate("query", listQuery), (c) => listUsers(c, "followers", c.req.valid("query")))
  .get("/:username/following", validate("query", listQuery), (c) => listUsers(c, "following", c.req.valid("query")));

/**
 * Followers / following, keyset-paged on the other user's id (newest accounts first), so the
 * follows indexes serve every page without sorting a celebrity's whole follower list.
 */
async function listUsers(c: Context<AppEnv>, direction: "followers" | "following", { cursor, limit }: ListQuery) {
  const before = cursor ? decodeCursor(cursor, idCursor).b : "~";
  const user = await requireUserByUsername(c.env.DB, c.req.param("username")!);
  const [edgeColumn, otherColumn] = direction === "followers" ? ["followee_id", "follower_id"] : ["follower_id", "followee_id"];
  const { results } = await c.env.DB.prepare(
    `SELECT u.id, u.username, u.display_name, u.avatar_url, u.follower_count
     FROM follows f JOIN users u ON u.id = f.${otherColumn}
     WHERE f.${edgeColumn} = ?1 AND f.${otherColumn} < ?2
     ORDER BY f.${otherColumn} DESC LIMIT ?3`,
  )
    .bind(user.id, before, limit + 1)
    .all<UserRecord>();
  const page = results.slice(0, limit);
  const hasMore = results.length > limit;
  const last = page[page.length - 1];
  const threshold = readConfig(c.env).celebrityThreshold;
  const data: UserListResponse = {
    users: page.map((r) => toUserSummary(r, threshold)),
    pagination: { nextCursor: hasMore && last ? encodeCursor({ b: last.id }) : null, hasMore },
  };
  return c.json({ success: true as const, data }, 200);
}
