/** Finding people, blocking and muting, your account (worker/routes/search.ts, users.ts, account.ts). */
import { changePasswordBody, deleteAccountBody, listQuery, searchQuery, suggestionsQuery } from "../../schema/api";
import {
  blockResponseSchema,
  deletedResponseSchema,
  emptyResponseSchema,
  muteResponseSchema,
  searchResponseSchema,
  suggestionsResponseSchema,
  userListResponseSchema,
} from "../../schema/responses";
import { routes } from "./route";

const username = { username: "A username (any case)." };
const absent = "A user blocked either way, or deleted, does not exist for the viewer: 404.";

export const peopleRoutesDoc = routes(
  {
    method: "get",
    path: "/api/v1/search/users",
    operationId: "searchUsers",
    tag: "people",
    summary: "Find people by username prefix or any word of the display name",
    description: "Case- and accent-insensitive; friends and friends of friends first. Blocked and deleted users are never found.",
    session: true,
    query: searchQuery,
    success: { status: 200, description: "Matching people.", data: searchResponseSchema },
  },
  {
    method: "get",
    path: "/api/v1/users/me/suggestions",
    operationId: "suggestions",
    tag: "people",
    summary: "People you may know: friends of friends by mutual friends, then popular accounts",
    description: "Never yourself, someone you follow, a blocked user or a dismissed one.",
    session: true,
    query: suggestionsQuery,
    success: { status: 200, description: "Suggested people.", data: suggestionsResponseSchema },
  },
  {
    method: "post",
    path: "/api/v1/users/me/suggestions/{username}/dismiss",
    operationId: "dismissSuggestion",
    tag: "people",
    summary: "Keep someone out of your suggestions",
    session: true,
    params: username,
    idempotency: "accepted",
    success: { status: 200, description: "Dismissed.", data: emptyResponseSchema },
    errors: { 404: ["USER_NOT_FOUND"] },
  },
  ...(["block", "mute"] as const).flatMap((what) =>
    (["post", "delete"] as const).map((method) => ({
      method,
      path: `/api/v1/users/{username}/${what}`,
      operationId: `${method === "post" ? "" : "un"}${what}User`,
      tag: "people",
      summary:
        what === "block"
          ? method === "post"
            ? "Block someone: the follows both ways end, and each is absent to the other"
            : "Unblock someone"
          : method === "post"
            ? "Mute someone: their posts and shares leave your home feed (they are not told)"
            : "Unmute someone",
      description: absent,
      session: true,
      params: username,
      idempotency: "accepted" as const,
      success: { status: 200 as const, description: "The new state.", data: what === "block" ? blockResponseSchema : muteResponseSchema },
      errors: { 400: [what === "block" ? ("CANNOT_BLOCK_SELF" as const) : ("CANNOT_MUTE_SELF" as const)], 404: ["USER_NOT_FOUND" as const] },
    })),
  ),
  ...(["blocks", "mutes"] as const).map((list) => ({
    method: "get" as const,
    path: `/api/v1/users/me/${list}`,
    operationId: `my${list[0].toUpperCase()}${list.slice(1)}`,
    tag: "people",
    summary: `The people you ${list === "blocks" ? "blocked" : "muted"}`,
    session: true,
    query: listQuery,
    success: { status: 200 as const, description: "A page of users.", data: userListResponseSchema },
    errors: { 400: ["INVALID_CURSOR" as const] },
  })),
  {
    method: "post",
    path: "/api/v1/auth/password",
    operationId: "changePassword",
    tag: "auth",
    summary: "Change your password: every other session ends (their sockets close with 4001)",
    session: true,
    body: changePasswordBody,
    success: { status: 200, description: "Changed.", data: emptyResponseSchema },
    errors: { 400: ["WEAK_PASSWORD"], 401: ["INVALID_CREDENTIALS"], 429: ["RATE_LIMITED"] },
  },
  {
    method: "post",
    path: "/api/v1/auth/logout-everywhere",
    operationId: "logoutEverywhere",
    tag: "auth",
    summary: "Sign out everywhere: every session of yours ends, this one included",
    session: true,
    success: { status: 200, description: "Signed out everywhere; the cookie is cleared.", data: emptyResponseSchema, setsCookie: true },
  },
  {
    method: "delete",
    path: "/api/v1/users/me",
    operationId: "deleteAccount",
    tag: "people",
    summary: "Delete your account and everything it made",
    description:
      "Asks for the password. When the 200 returns the account and all it made are invisible everywhere and others' counts " +
      "are corrected; the stored data is erased in the background, durably.",
    session: true,
    body: deleteAccountBody,
    success: { status: 200, description: "Deleted; the cookie is cleared.", data: deletedResponseSchema, setsCookie: true },
    errors: { 401: ["INVALID_CREDENTIALS"], 429: ["RATE_LIMITED"] },
  },
);
