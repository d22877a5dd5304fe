/**
 * The session cookie's value: `<userId>.<token>.<mac>`.
 *
 * The token is the secret (D1 and the user's UserFeed store only its SHA-256). The user id lets a
 * feed read go straight to the viewer's UserFeed, which checks the token itself, so a feed read
 * costs one object call and one D1 query instead of a D1 session lookup first. The MAC
 * (HMAC-SHA256 with the database's own `session-mac` key, made by migration 0001) proves the id
 * was issued by us: a forged id is refused here, without any I/O, and never wakes or creates an
 * object. The MAC is not what authenticates: the token is.
 */
import { ID_PATTERN } from "../../schema/ids";
import { toBase64 } from "./crypto";
import { readSession } from "../../core/d1";

const TOKEN = /^[A-Za-z0-9_-]{32,64}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;

// Read once per isolate (the worker has one database; the key never changes while it lives).
// The key itself is cached, not the promise: a promise settled by another request's I/O must not
// be awaited across requests. Rotate the key by replacing the row and redeploying.
let cachedKey: CryptoKey | undefined;

/** Also signs the login-device cookie (lib/login-device.ts), whose messages cannot look like these. */
export async function macKey(db: D1Database): Promise<CryptoKey> {
  if (cachedKey) return cachedKey;
  // Any replica: the key is made by a migration and never changes.
  const hex = await readSession(db, null).prepare("SELECT value FROM app_keys WHERE name = 'session-mac'").first<string>("value");
  if (!hex || !/^[0-9a-f]{64}$/.test(hex)) throw new Error("app_keys has no session-mac key: apply the D1 migrations");
  const raw = Uint8Array.from(hex.match(/../g)!, (byte) => parseInt(byte, 16));
  cachedKey = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  return cachedKey;
}

const base64url = (bytes: Uint8Array) => toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

export async function signSessionCookie(db: D1Database, userId: string, token: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await macKey(db), new TextEncoder().encode(`${userId}.${token}`));
  return `${userId}.${token}.${base64url(new Uint8Array(mac))}`;
}

/** The user id and token of a cookie we issued, or null (malformed, or a MAC that does not verify). */
export async function openSessionCookie(db: D1Database, value: string): Promise<{ userId: string; token: string } | null> {
  const [userId, token, mac, extra] = value.split(".");
  if (extra !== undefined || !ID_PATTERN.test(userId ?? "") || !TOKEN.test(token ?? "") || !MAC.test(mac ?? "")) return null;
  const ok = await crypto.subtle.verify("HMAC", await macKey(db), fromBase64url(mac), new TextEncoder().encode(`${userId}.${token}`));
  return ok ? { userId, token } : null;
}
