/** Signup, login, logout, me. */
import { Hono } from "hono";
import { LIMITS, USERNAME_PATTERN, loginBody, signupBody } from "../../schema/api";
import { readConfig } from "../env";
import { ApiError } from "../errors";
import { newId } from "../../schema/ids";
import { findUserById, toUser, USER_COLUMNS, type UserRecord } from "../data/users";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../lib/crypto";
import { consumeRateLimit } from "../lib/rate-limit";
import { endSession, requireSession, startSession, viewerOf } from "../lib/session";
import { validate } from "../lib/validate";
import type { AppEnv } from "../types";

export const authRoutes = new Hono<AppEnv>()
  .post("/signup", validate("json", signupBody), async (c) => {
    const body = c.req.valid("json");
    const username = body.username.trim().toLowerCase();
    if (!USERNAME_PATTERN.test(username))
      throw new ApiError(400, "INVALID_USERNAME", "Usernames are 3 to 30 characters of a-z, 0-9 and _.");
    if (body.password.length < LIMITS.passwordMin)
      throw new ApiError(400, "WEAK_PASSWORD", `Passwords need at least ${LIMITS.passwordMin} characters.`);
    const id = newId();
    const now = Date.now();
    const inserted = await c.env.DB.prepare(
      `INSERT INTO users (id, username, display_name, password_hash, last_active_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING RETURNING ${USER_COLUMNS}`,
    )
      .bind(id, username, body.displayName, await hashPassword(body.password), now, now)
      .first<UserRecord>();
    if (!inserted) throw new ApiError(409, "USERNAME_TAKEN", `The username "${username}" is taken.`);
    await startSession(c, id);
    return c.json({ success: true as const, data: { user: toUser(inserted, readConfig(c.env).celebrityThreshold) } }, 201);
  })
  .post("/login", validate("json", loginBody), async (c) => {
    const body = c.req.valid("json");
    const username = body.username.trim().toLowerCase();
    await consumeRateLimit(c.env.DB, `login:${username}`, readConfig(c.env).loginRateLimitPerMinute);
    const user = await c.env.DB.prepare(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE username = ?`)
      .bind(username)
      .first<UserRecord & { password_hash: string }>();
    const stored = user?.password_hash ?? null;
    // Verify against a dummy hash for unknown users so timing does not reveal which usernames exist.
    const ok = await verifyPassword(body.password, stored ?? (await dummyPasswordHash()));
    if (!user || !stored || !ok) throw new ApiError(401, "INVALID_CREDENTIALS", "Wrong username or password.");
    await startSession(c, user.id);
    return c.json({ success: true as const, data: { user: toUser(user, readConfig(c.env).celebrityThreshold) } }, 200);
  })
  .post("/logout", async (c) => {
    await endSession(c);
    return c.json({ success: true as const, data: {} }, 200);
  })
  .get("/me", requireSession, async (c) => {
    const user = await findUserById(c.env.DB, viewerOf(c).id);
    if (!user) throw new ApiError(401, "UNAUTHENTICATED", "Sign in to continue.");
    return c.json({ success: true as const, data: { user: toUser(user, readConfig(c.env).celebrityThreshold) } }, 200);
  });
