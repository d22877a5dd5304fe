import type { EngagementUpdate, Privacy } from "../../schema/api";
import type { Notice } from "../../core/ops/types";

/**
 * What one object tells another's `receive` (user-feed/inbound.ts): everything a mutation has for
 * one recipient travels in one call (user-feed/effects.ts groups the effects by recipient).
 * - engagement: a count changed on one of the recipient's posts (or a comment on it): its watchers hear;
 * - notice: something for the recipient's notifications (core/ops/types.ts `Notice`);
 * - backfill: a new friend's posts may now enter the recipient's timeline.
 */
export type Inbound =
  | { type: "engagement"; update: EngagementUpdate; privacy: Privacy }
  | { type: "notice"; notice: Notice }
  | { type: "backfill"; authorId: string };
