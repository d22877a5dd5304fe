/**
 * The login-device cookie: proof that this browser has signed in to an account before, so that
 * strangers' wrong passwords, which lock an account for every other client, do not lock out its
 * owner on the browsers the owner uses (OWASP's "device cookies").
 *
 * Value `<nonce>.<mac>`: a random nonce and an HMAC-SHA256 of ("login-device", username, nonce)
 * with the database's key (lib/session-cookie.ts). It carries no session and grants nothing by
 * itself: the password is still checked, and the nonce has its own failure counter, so a stolen
 * cookie gives no more guesses than the per-account limit. Set at every successful sign-up and
 * sign-in (HttpOnly, SameSite=Strict, a year); kept at log-out, since it names a browser.
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../types";
import { toBase64 } from "./crypto";
import { macKey } from "./session-cookie";

export const DEVICE_COOKIE = "ef_device";
const MAX_AGE_SECONDS = 365 * 86_400;
const VALUE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

const base64url = (bytes: Uint8Array) => toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
// NUL separators: a username never holds one, so no two (username, nonce) pairs sign the same text.
const message = (username: string, nonce: string) => new TextEncoder().encode(`login-device\0${username}\0${nonce}`);

/** The nonce of the request's device cookie if it was issued for `username`, else null. */
export async function trustedDevice(c: Context<AppEnv>, username: string): Promise<string | null> {
  const match = VALUE.exec(getCookie(c, DEVICE_COOKIE) ?? "");
  if (!match) return null;
  const ok = await crypto.subtle.verify("HMAC", await macKey(c.env.DB), fromBase64url(match[2]), message(username, match[1]));
  return ok ? match[1] : null;
}

/** Marks this browser as one that signed in to `username`. */
export async function rememberDevice(c: Context<AppEnv>, username: string): Promise<void> {
  const nonce = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const mac = await crypto.subtle.sign("HMAC", await macKey(c.env.DB), message(username, nonce));
  const host = new URL(c.req.url).hostname;
  setCookie(c, DEVICE_COOKIE, `${nonce}.${base64url(new Uint8Array(mac))}`, {
    httpOnly: true,
    sameSite: "Strict",
    secure: !(host === "localhost" || host === "127.0.0.1" || host === "[::1]"),
    path: "/",
    maxAge: MAX_AGE_SECONDS,
  });
}
