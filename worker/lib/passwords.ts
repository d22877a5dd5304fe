/**
 * The password rule (API.md "Passwords"), in one place for sign-up and for every route that sets
 * a password: at least 8 characters, not only blanks (whitespace, control or invisible
 * characters), not the username, not one of the commonest passwords. Every rule looks at the
 * password as a reader would see it (NFKC, characters that draw nothing removed, lower-cased), so
 * "qwerty  ", "password\u200b" and "pass\u00adword" are as weak as what they look like. The hash is
 * of the password exactly as typed.
 *
 * The common list is zxcvbn-ts's (@zxcvbn-ts/language-common: ~49,000 passwords from leaked sets,
 * ranked by frequency), imported on its own, without the rest of the package. It is loaded at the
 * first check, not at start-up: unpacking it costs tens of milliseconds that feed reads should not
 * pay. Only entries of 8 characters or more are kept, as shorter ones are refused anyway.
 */
import { LIMITS, charCount, visibleText } from "../../schema/api";

export type PasswordProblem = { reason: "too_short" | "blank" | "username" | "common"; message: string };

let common: Set<string> | undefined;

async function commonPasswords(): Promise<Set<string>> {
  if (!common) {
    const { default: list } = await import("@zxcvbn-ts/language-common/dist/passwords.json.mjs");
    common = new Set(list.filter((password) => charCount(password) >= LIMITS.passwordMin));
  }
  return common;
}

/** Why `password` may not be used by `username`, or null when it may. */
export async function passwordProblem(password: string, username: string): Promise<PasswordProblem | null> {
  const normalized = visibleText(password.normalize("NFKC").replace(/\p{Cc}/gu, "")).toLowerCase();
  if (normalized.length === 0) return { reason: "blank", message: "A password needs more than spaces or invisible characters." };
  if (charCount(normalized) < LIMITS.passwordMin)
    return { reason: "too_short", message: `Passwords need at least ${LIMITS.passwordMin} visible characters.` };
  if (normalized === username.trim().toLowerCase()) return { reason: "username", message: "A password must not be the username." };
  if ((await commonPasswords()).has(normalized))
    return { reason: "common", message: "This password is one of the most common ones; choose another." };
  return null;
}
