/**
 * The account's own life (API.md "Finding people, blocking, your account"):
 *   POST   /auth/password            {currentPassword, newPassword}: every other session ends
 *   POST   /auth/logout-everywhere   every session ends, this one too (an addition: README, API)
 *   DELETE /users/me                 {password}: the account and everything it made
 * Each asks for what proves it is the owner (the session, and the password where API.md says so),
 * then goes to the user's UserFeed like every mutation (core/ops/account.ts), which ends the
 * sessions there and closes their sockets (4001). Keys are accepted and not stored (lib/mutate.ts).
 */
import { Hono } from "hono";
import { changePasswordBody, deleteAccountBody } from "../../schema/api";
import { ApiError } from "../../core/errors";
import { checkOwnPassword } from "../lib/accounts";
import { hashPassword } from "../lib/crypto";
import { jsonEnvelope } from "../lib/envelope";
import { runOp } from "../lib/mutate";
import { passwordProblem } from "../lib/passwords";
import { clearSessionCookie, requireSession, sessionClaim, viewerOf } from "../lib/session";
import { validate } from "../lib/validate";
import type { AppEnv } from "../types";

export const accountRoutes = new Hono<AppEnv>()
  .post("/auth/password", requireSession, validate("json", changePasswordBody), async (c) => {
    const viewer = viewerOf(c);
    const { currentPassword, newPassword } = c.req.valid("json");
    await checkOwnPassword(c, viewer.id, currentPassword);
    const weak = await passwordProblem(newPassword, viewer.username);
    if (weak) throw new ApiError(400, "WEAK_PASSWORD", weak.message, { reason: weak.reason });
    const claim = await sessionClaim(c);
    if (!claim) throw new ApiError(401, "UNAUTHENTICATED", "Sign in to continue.");
    const op = { kind: "changePassword", passwordHash: await hashPassword(newPassword), keepSession: claim.tokenHash } as const;
    return jsonEnvelope(c, await runOp(c, op, { keyed: false }));
  })
  .post("/auth/logout-everywhere", requireSession, async (c) => {
    const result = await runOp(c, { kind: "endAllSessions" }, { keyed: false });
    if (result.ok) clearSessionCookie(c);
    return jsonEnvelope(c, result);
  })
  .delete("/users/me", requireSession, validate("json", deleteAccountBody), async (c) => {
    await checkOwnPassword(c, viewerOf(c).id, c.req.valid("json").password);
    const result = await runOp(c, { kind: "deleteAccount" }, { keyed: false });
    if (result.ok) clearSessionCookie(c);
    return jsonEnvelope(c, result);
  });
