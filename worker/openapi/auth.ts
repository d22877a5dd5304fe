/** Sign-up, login, logout, the current user (worker/routes/auth.ts). */
import { loginBody, signupBody } from "../../schema/api";
import { authResponseSchema, emptyResponseSchema } from "../../schema/responses";
import { routes } from "./route";

export const authRoutesDoc = routes(
  {
    method: "post",
    path: "/api/v1/auth/signup",
    operationId: "signup",
    tag: "auth",
    summary: "Create an account and sign in",
    description:
      "Sets the session cookie (HttpOnly, SameSite=Lax) and the `ef_device` cookie. Usernames are 3–30 of `a-z0-9_`. " +
      "Passwords: at least 8 characters, not blank, not the username, not a common password (`details.reason`). " +
      "Limited to SIGNUP_RATE_LIMIT_PER_MINUTE attempts per client.",
    session: false,
    body: signupBody,
    success: { status: 201, description: "The new user; signed in.", data: authResponseSchema, setsCookie: true },
    errors: { 400: ["INVALID_USERNAME", "WEAK_PASSWORD"], 409: ["USERNAME_TAKEN"], 429: ["RATE_LIMITED"] },
  },
  {
    method: "post",
    path: "/api/v1/auth/login",
    operationId: "login",
    tag: "auth",
    summary: "Sign in",
    description: "Failed logins are limited per account and per client (LOGIN_RATE_LIMIT_PER_MINUTE); a browser holding the account's `ef_device` cookie is held only by its own failures.",
    session: false,
    body: loginBody,
    success: { status: 200, description: "Signed in.", data: authResponseSchema, setsCookie: true },
    errors: { 401: ["INVALID_CREDENTIALS"], 429: ["RATE_LIMITED"] },
  },
  {
    method: "post",
    path: "/api/v1/auth/logout",
    operationId: "logout",
    tag: "auth",
    summary: "Sign out",
    description: "Revokes the session server-side, closes its sockets (4001) and clears the cookie. Answers 200 with or without a session.",
    session: false,
    success: { status: 200, description: "Signed out.", data: emptyResponseSchema, setsCookie: true },
  },
  {
    method: "get",
    path: "/api/v1/auth/me",
    operationId: "me",
    tag: "auth",
    summary: "The signed-in user",
    session: true,
    success: { status: 200, description: "The viewer.", data: authResponseSchema },
  },
);
