/** GET /search/users: people by username prefix or display-name word prefix (core/search.ts). */
import { readDb } from "../lib/d1";
import { Hono } from "hono";
import { searchQuery, type SearchResponse } from "../../schema/api";
import { readConfig } from "../../core/config";
import { searchUsers } from "../../core/search";
import { requireSession, viewerOf } from "../lib/session";
import { validate } from "../lib/validate";
import type { AppEnv } from "../types";

export const searchRoutes = new Hono<AppEnv>().use(requireSession).get("/users", validate("query", searchQuery), async (c) => {
  const { q, limit } = c.req.valid("query");
  const data: SearchResponse = { users: await searchUsers((await readDb(c)), viewerOf(c).id, q, limit, readConfig(c.env).celebrityThreshold) };
  return c.json({ success: true as const, data }, 200);
});
