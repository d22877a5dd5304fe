/**
 * The contract's limits the client needs, checked against `schema/api.ts` by the type checker:
 * importing the value would pull zod (the validators) into the browser bundle, so each constant is
 * typed as the schema's literal and `tsc` fails if the two ever differ.
 */
import type { LIMITS } from "../../schema/api";

type L = typeof LIMITS;
export const POST_MAX: L["postContentMax"] = 5000;
export const DISPLAY_NAME_MAX: L["displayNameMax"] = 80;
export const COMMENT_MAX: L["commentContentMax"] = 2000;
export const WATCH_MAX: L["watchPostsMax"] = 200;
export const MEDIA_PER_POST: L["mediaPerPost"] = 4;
export const ALT_MAX: L["altTextMax"] = 1500;
