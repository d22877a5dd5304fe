/**
 * Creating an account and signing in, shared by the JSON API (routes/auth.ts) and the plain HTML
 * forms that work before the page's script has loaded (routes/auth-forms.ts), so both follow the
 * same rules and limits. Both start a session cookie on success and throw ApiError (a 4xx)
 * otherwise.
 *
 * Limits (README, API section), all per one-minute window:
 * - sign-ups: SIGNUP_RATE_LIMIT_PER_MINUTE per client, counting every attempt that passes the
 *   local checks (username, password rule), i.e. every one that costs a hash and a write;
 * - logins count failures only. A client without a device cookie for the account is refused once
 *   the account has LOGIN_RATE_LIMIT_PER_MINUTE failures from such clients, or the client has 2x
 *   that many across all accounts (a spray). A browser with the account's device cookie
 *   (lib/login-device.ts) is held only by that cookie's own failures, so strangers cannot lock the
 *   owner out of the browsers the owner uses.
 */
import { writeDb } from "./d1";
import type { Context } from "hono";
import { USERNAME_PATTERN, type LoginBody, type SignupBody } from "../../schema/api";
import { newId } from "../../schema/ids";
import { USER_COLUMNS, type UserRecord } from "../../core/users";
import { searchTermsStatements } from "../../core/search";
import { readConfig } from "../../core/config";
import { ApiError } from "../../core/errors";
import type { AppEnv } from "../types";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./crypto";
import { rememberDevice, trustedDevice } from "./login-device";
import { passwordProblem } from "./passwords";
import { clientKey, consumeRateLimit, holdAttempt, type Counter } from "../../core/rate-limit";
import { startSession } from "./session";

const client = (c: Context<AppEnv>) => clientKey(c.req.header("cf-connecting-ip"));

export async function createAccount(c: Context<AppEnv>, body: SignupBody): Promise<UserRecord> {
  const username = body.username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username)) throw new ApiError(400, "INVALID_USERNAME", "Usernames are 3 to 30 characters of a-z, 0-9 and _.");
  const weak = await passwordProblem(body.password, username);
  if (weak) throw new ApiError(400, "WEAK_PASSWORD", weak.message, { reason: weak.reason });
  await consumeRateLimit(writeDb(c), `signup:${client(c)}`, readConfig(c.env).signupRateLimitPerMinute);
  const id = newId();
  const now = Date.now();
  const db = writeDb(c);
  // The account and its search terms in one transaction (the terms only if the insert won the name).
  const [created] = await db.batch<UserRecord>([
    db
      .prepare(
        `INSERT INTO users (id, username, display_name, password_hash, last_active_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING RETURNING ${USER_COLUMNS}`,
      )
      .bind(id, username, body.displayName, await hashPassword(body.password), now, now),
    ...searchTermsStatements(db, id, body.displayName),
  ]);
  const inserted = created.results[0];
  if (!inserted) throw new ApiError(409, "USERNAME_TAKEN", `The username "${username}" is taken.`);
  await startSession(c, id);
  await rememberDevice(c, username);
  return inserted;
}

export async function signIn(c: Context<AppEnv>, body: LoginBody): Promise<UserRecord> {
  const username = body.username.trim().toLowerCase();
  const limit = readConfig(c.env).loginRateLimitPerMinute;
  const device = await trustedDevice(c, username);
  const counters: Counter[] = device
    ? [{ key: `login-device:${device}`, limitPerMinute: limit }]
    : [
        { key: `login-user:${username}`, limitPerMinute: limit },
        { key: `login-client:${client(c)}`, limitPerMinute: 2 * limit },
      ];
  // The counters and the user's row in one round trip.
  const attempt = await holdAttempt<UserRecord & { password_hash: string }>(
    writeDb(c),
    counters,
    writeDb(c).prepare(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE username = ? AND deleted_at IS NULL`).bind(username),
  );
  const user = attempt.rows[0];
  const stored = user?.password_hash ?? null;
  // Verify against a dummy hash for unknown users so timing does not reveal which usernames exist.
  const ok = await verifyPassword(body.password, stored ?? (await dummyPasswordHash()));
  // A failure keeps its place on the counters.
  if (!user || !stored || !ok) throw new ApiError(401, "INVALID_CREDENTIALS", "Wrong username or password.");
  await Promise.all([attempt.release(), startSession(c, user.id)]);
  await rememberDevice(c, username);
  return user;
}

/**
 * The signed-in user's own password, asked again before it is changed or the account deleted.
 * Failures are limited per account like logins (LOGIN_RATE_LIMIT_PER_MINUTE a minute, 429 past
 * it), so a stolen session cannot be used to guess the password.
 */
export async function checkOwnPassword(c: Context<AppEnv>, userId: string, password: string): Promise<{ username: string }> {
  const db = writeDb(c);
  const attempt = await holdAttempt<{ username: string; password_hash: string }>(
    db,
    [{ key: `password-check:${userId}`, limitPerMinute: readConfig(c.env).loginRateLimitPerMinute }],
    db.prepare("SELECT username, password_hash FROM users WHERE id = ? AND deleted_at IS NULL").bind(userId),
  );
  const row = attempt.rows[0];
  if (!row || !(await verifyPassword(password, row.password_hash))) throw new ApiError(401, "INVALID_CREDENTIALS", "That is not your current password.");
  await attempt.release();
  return { username: row.username };
}
