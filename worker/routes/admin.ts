/** Operator API. Without an ADMIN_TOKEN configured it does not exist (404). */
import { Hono } from "hono";
import type { AppEnv } from "../types";
import { ApiError } from "../errors";

export const adminRoutes = new Hono<AppEnv>().use(async (c, next) => {
  if (!c.env.ADMIN_TOKEN) throw new ApiError(404, "NOT_FOUND", "No such API route.");
  await next();
});
