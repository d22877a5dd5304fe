/** Signup, login, logout, me. */
import { readDb } from "../lib/d1";
import { Hono } from "hono";
import { loginBody, signupBody } from "../../schema/api";
import { readConfig } from "../../core/config";
import { ApiError } from "../../core/errors";
import { findUserById, toUser } from "../../core/users";
import { createAccount, signIn } from "../lib/accounts";
import { endSession, requireSession, viewerOf } from "../lib/session";
import { validate } from "../lib/validate";
import type { AppEnv } from "../types";

export const authRoutes = new Hono<AppEnv>()
  .post("/signup", validate("json", signupBody), async (c) => {
    const user = await createAccount(c, c.req.valid("json"));
    return c.json({ success: true as const, data: { user: toUser(user, readConfig(c.env).celebrityThreshold) } }, 201);
  })
  .post("/login", validate("json", loginBody), async (c) => {
    const user = await signIn(c, c.req.valid("json"));
    return c.json({ success: true as const, data: { user: toUser(user, readConfig(c.env).celebrityThreshold) } }, 200);
  })
  .post("/logout", async (c) => {
    await endSession(c);
    return c.json({ success: true as const, data: {} }, 200);
  })
  .get("/me", requireSession, async (c) => {
    const user = await findUserById((await readDb(c)), viewerOf(c).id);
    if (!user) throw new ApiError(401, "UNAUTHENTICATED", "Sign in to continue.");
    return c.json({ success: true as const, data: { user: toUser(user, readConfig(c.env).celebrityThreshold) } }, 200);
  });
