/**
 * Profiles, the follow graph, an author's posts, and the viewer's relations to people (block,
 * mute, people you may know). A user absent to the viewer (blocked either way, a deleted account)
 * answers 404 on every route that names them, exactly like a username that never existed.
 */
import { readDb } from "../lib/d1";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { listQuery, suggestionsQuery, updateProfileBody, type ListQuery } from "../../schema/api";
import { readConfig } from "../../core/config";
import { decodeCursor } from "../../core/cursor";
import { followListPage, relationListPage } from "../../core/people";
import { authorPostsPage } from "../../core/posts";
import { suggestionsFor } from "../../core/suggestions";
import { loadProfile, requireUserVisibleTo } from "../../core/users";
import { mutate } from "../lib/mutate";
import { requireViewer, viewerOf } from "../lib/session";
import { validate } from "../lib/validate";
import type { AppEnv } from "../types";

const idCursor = z.object({ b: z.string().min(1).max(64) });
const relationCursor = z.object({ t: z.number().int().min(0), b: z.string().min(1).max(64) });

const ok = <T>(c: Context<AppEnv>, data: T) => c.json({ success: true as const, data }, 200);
const threshold = (c: Context<AppEnv>) => readConfig(c.env).celebrityThreshold;

export const userRoutes = new Hono<AppEnv>()
  .use(requireViewer)
  // /me/... first: "me" is never a username (usernames have at least 3 characters).
  .patch("/me", validate("json", updateProfileBody), (c) => mutate(c, { kind: "updateProfile", body: c.req.valid("json") }))
  .get("/me/suggestions", validate("query", suggestionsQuery), async (c) =>
    ok(c, { users: await suggestionsFor((await readDb(c)), viewerOf(c).id, c.req.valid("query").limit, threshold(c)) }),
  )
  .post("/me/suggestions/:username/dismiss", (c) => mutate(c, { kind: "dismissSuggestion", username: c.req.param("username") }))
  .get("/me/blocks", validate("query", listQuery), (c) => relationList(c, "blocks", c.req.valid("query")))
  .get("/me/mutes", validate("query", listQuery), (c) => relationList(c, "mutes", c.req.valid("query")))
  .get("/:username", async (c) => {
    const viewer = viewerOf(c);
    const user = await requireUserVisibleTo((await readDb(c)), viewer.id, c.req.param("username"));
    return ok(c, { user: await loadProfile((await readDb(c)), viewer.id, user, threshold(c)) });
  })
  .post("/:username/follow", (c) => mutate(c, { kind: "follow", username: c.req.param("username") }))
  .delete("/:username/follow", (c) => mutate(c, { kind: "unfollow", username: c.req.param("username") }))
  .post("/:username/block", (c) => mutate(c, { kind: "block", username: c.req.param("username") }))
  .delete("/:username/block", (c) => mutate(c, { kind: "unblock", username: c.req.param("username") }))
  .post("/:username/mute", (c) => mutate(c, { kind: "mute", username: c.req.param("username") }))
  .delete("/:username/mute", (c) => mutate(c, { kind: "unmute", username: c.req.param("username") }))
  .get("/:username/posts", validate("query", listQuery), async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const before = cursor ? decodeCursor(cursor, idCursor).b : null;
    const viewer = viewerOf(c);
    const author = await requireUserVisibleTo((await readDb(c)), viewer.id, c.req.param("username"));
    return ok(c, await authorPostsPage((await readDb(c)), viewer.id, author.id, before, limit, threshold(c)));
  })
  .get("/:username/followers", validate("query", listQuery), (c) => followList(c, "followers", c.req.valid("query")))
  .get("/:username/following", validate("query", listQuery), (c) => followList(c, "following", c.req.valid("query")));

async function followList(c: Context<AppEnv>, direction: "followers" | "following", { cursor, limit }: ListQuery) {
  const before = cursor ? decodeCursor(cursor, idCursor).b : null;
  const viewer = viewerOf(c);
  const user = await requireUserVisibleTo((await readDb(c)), viewer.id, c.req.param("username")!);
  return ok(c, await followListPage((await readDb(c)), viewer.id, user.id, direction, before, limit, threshold(c)));
}

async function relationList(c: Context<AppEnv>, kind: "blocks" | "mutes", { cursor, limit }: ListQuery) {
  const position = cursor ? decodeCursor(cursor, relationCursor) : null;
  return ok(c, await relationListPage((await readDb(c)), viewerOf(c).id, kind, position, limit, threshold(c)));
}
