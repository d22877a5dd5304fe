/** Every described route of the public API, by area (admin and bench routes are left out, as API.md allows). */
import { authRoutesDoc } from "./auth";
import { commentRoutesDoc } from "./comments";
import { feedRoutesDoc } from "./feed";
import { notificationRoutesDoc } from "./notifications";
import { peopleRoutesDoc } from "./people";
import { mediaRoutesDoc } from "./media";
import { postRoutesDoc } from "./posts";
import type { ApiRoute } from "./route";
import { systemRoutesDoc } from "./system";
import { userRoutesDoc } from "./users";

export const API_ROUTES: readonly ApiRoute[] = [...systemRoutesDoc, ...authRoutesDoc, ...userRoutesDoc, ...peopleRoutesDoc, ...postRoutesDoc, ...commentRoutesDoc, ...mediaRoutesDoc, ...feedRoutesDoc, ...notificationRoutesDoc];

/** The tags, in the order a reader meets them. */
export const API_TAGS = [
  { name: "system", description: "Health, this document, the live socket." },
  { name: "auth", description: "Accounts and cookie sessions." },
  { name: "users", description: "Profiles and the follow graph. Friends are users who follow each other." },
  { name: "posts", description: "Posts and engagement. A friends-only post exists only for its author and the author's friends." },
  { name: "people", description: "Finding people, suggestions, blocking and muting, deleting your account." },
  { name: "comments", description: "Comment threads, one level deep: replies, edits, deletes, likes." },
  { name: "notifications", description: "What others did that concerns you, grouped while unread." },
  { name: "media", description: "Photos: uploaded raw, stripped of metadata, served with their post's privacy." },
  { name: "feed", description: "The home feed." },
];
