/** Reading one's notifications: they live in the user's own object (LocalPort), not in D1. */
import { ApiError } from "../errors";
import type { OpContext } from "./context";
import type { MutationResult } from "./types";

export function readNotifications(ctx: OpContext, upTo: string | null): MutationResult {
  if (!ctx.local) throw new Error("readNotifications runs in the user's own object");
  const result = ctx.local.markNotificationsRead(upTo);
  if (!result) {
    throw new ApiError(400, "VALIDATION_ERROR", "upTo names no notification of yours.", { issues: [{ path: "upTo", message: "unknown notification" }] });
  }
  return { status: 200, body: result, effects: [{ type: "notificationsRead", unreadCount: result.unreadCount }] };
}
