/**
 * Creating an account and signing in, shared by the JSON API (routes/auth.ts) and the plain HTML
 * forms that work before the page's script has loaded (routes/auth-forms.ts). Both start a
 * session cookie on success and throw ApiError (a 4xx) otherwise.
 */
import type { Context } from "hono";
import { LIMITS, USERNAME_PATTERN, type LoginBody, type SignupBody } from "../../schema/api";
import { newId } from "../../schema/ids";
import { USER_COLUMNS, type UserRecord } from "../data/users";
import { readConfig } from "../env";
import { ApiError } from "../errors";
import type { AppEnv } from "../types";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./crypto";
import { consumeRateLimit } from "./rate-limit";
import { startSession } from "./session";

export async function createAccount(c: Context<AppEnv>, body: SignupBody): Promise<UserRecord> {
  const username = body.username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username)) throw new ApiError(400, "INVALID_USERNAME", "Usernames are 3 to 30 characters of a-z, 0-9 and _.");
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
  return inserted;
}

export async function signIn(c: Context<AppEnv>, body: LoginBody): Promise<UserRecord> {
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
  return user;
}
