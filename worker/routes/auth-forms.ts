/**
 * Sign-in, sign-up and log-out as plain HTML form posts, so they work before the page's script
 * has loaded (a slow link, a click during hydration) or without script at all. Once hydrated, the
 * client sends the same forms to the JSON API instead; both go through lib/accounts.ts.
 *
 * Same rules as the API: a cross-origin post is refused, bodies are limited to 64 KiB, a failure
 * re-renders the form with the API's error code and status (429 keeps its Retry-After), and
 * success answers 303 so a reload never re-posts the password.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { LIMITS, loginBody, signupBody } from "../../schema/api";
import { ApiError } from "../../core/errors";
import { createAccount, signIn } from "../lib/accounts";
import { endSession } from "../lib/session";
import { readLimited, rejectCrossOrigin } from "../middleware/body-guard";
import type { AppEnv } from "../types";
import { renderAuthPage } from "./pages";

async function readForm(c: Context<AppEnv>): Promise<Record<string, string>> {
  rejectCrossOrigin(c);
  const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded")
    throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "This form expects application/x-www-form-urlencoded.");
  const raw = c.req.raw.body ? await readLimited(c.req.raw.body, LIMITS.bodyMaxBytes) : new Uint8Array();
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(new TextDecoder().decode(raw))) fields[name] = value;
  return fields;
}

function parsed<S extends z.ZodType>(schema: S, fields: Record<string, string>): z.infer<S> {
  const result = schema.safeParse(fields);
  if (!result.success) throw new ApiError(400, "VALIDATION_ERROR", "Fill in every field, within its length limit.");
  return result.data;
}

/** Runs a form action; an ApiError becomes the same page again, showing the error. */
async function formAction(c: Context<AppEnv>, page: "login" | "signup", action: (fields: Record<string, string>) => Promise<unknown>) {
  try {
    await action(await readForm(c));
    return c.redirect("/", 303);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
    return renderAuthPage(c, page, { status: error.status as ContentfulStatusCode, code: error.code, message: error.message });
  }
}

export const authFormRoutes = new Hono<AppEnv>()
  .post("/login", (c) => formAction(c, "login", (fields) => signIn(c, parsed(loginBody, fields))))
  .post("/signup", (c) =>
    formAction(c, "signup", (fields) => {
      const displayName = (fields.displayName ?? "").trim() || (fields.username ?? "").trim().toLowerCase();
      return createAccount(c, parsed(signupBody, { ...fields, displayName }));
    }),
  )
  .post("/logout", async (c) => {
    rejectCrossOrigin(c);
    await endSession(c);
    return c.redirect("/login", 303);
  });
