/**
 * Building the `notify` effects of a mutation (what each recipient's object is told). Who may be
 * told is decided in SQL by core/notify-rules.ts inside the op's own batch; these only shape the
 * message. Text travels as a preview of at most LIMITS.notificationPreviewMax characters.
 */
import { LIMITS, type NotificationKind, type UserSummary } from "../schema/api";
import type { MutationEffect, Notice } from "./ops/types";

/** The first characters of `text` on one line (code points, like every limit), or nothing. */
export function preview(text: string | null | undefined): string | undefined {
  const line = (text ?? "").replace(/\s+/g, " ").trim();
  if (!line) return undefined;
  const chars = [...line];
  return chars.length <= LIMITS.notificationPreviewMax ? line : `${chars.slice(0, LIMITS.notificationPreviewMax - 1).join("")}…`;
}

/** Follows group per UTC day: the day is the group's target. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type AddFields = Omit<Extract<Notice, { op: "add" }>, "op" | "kind" | "actor" | "at">;

export function addNotice(recipientId: string, kind: NotificationKind, actor: UserSummary, at: number, fields: AddFields): MutationEffect {
  return { type: "notify", recipientId, notice: { op: "add", kind, actor, at, ...fields, preview: fields.preview } };
}

export function undoNotice(recipientId: string, kinds: NotificationKind[], actorId: string, refs: string[]): MutationEffect {
  return { type: "notify", recipientId, notice: { op: "undo", kinds, actorId, refs } };
}

/** `ids` (posts or comments) were deleted: each recipient drops what they caused or concern. */
export function goneNotices(recipientIds: Iterable<string>, ids: string[]): MutationEffect[] {
  return [...new Set(recipientIds)].map((recipientId) => ({ type: "notify" as const, recipientId, notice: { op: "gone" as const, ids } }));
}
