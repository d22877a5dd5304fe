/**
 * Time-sortable ids, the same algorithm as schema/ids.ts (kept identical on purpose: the worker and
 * the seed must produce ids that sort the same way): 10 Crockford base32 chars of epoch
 * milliseconds, then 16 random base32 chars; strictly increasing within one process.
 *
 * Like the original, a call with a time earlier than the previous call reuses the previous time,
 * so callers that want ids "for the right creation time" must generate them in time order
 * (the seed sorts rows by creation time first).
 */
import { webcrypto } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
let lastTime = 0;
let lastRandom = [];

export function encodeTime(ms) {
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function randomDigits() {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b % 32);
}

function increment(digits) {
  const next = digits.slice();
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] < 31) {
      next[i]++;
      return next;
    }
    next[i] = 0;
  }
  return next;
}

export function newId(now = Date.now()) {
  now = Math.floor(now); // callers may pass computed (fractional) times; schema/ids.ts only ever sees Date.now()
  if (now <= lastTime) {
    lastRandom = increment(lastRandom);
    now = lastTime;
  } else {
    lastTime = now;
    lastRandom = randomDigits();
  }
  return encodeTime(now) + lastRandom.map((d) => ALPHABET[d]).join("");
}

/**
 * Forgets the monotonic clock. The seed generates each table's ids in that table's time order; a
 * table whose rows are older than the last id of the previous table must not inherit its clock.
 */
export function resetIdClock() {
  lastTime = 0;
  lastRandom = [];
}

/** The time encoded in an id (ms). */
export function idTime(id) {
  let ms = 0;
  for (const ch of id.slice(0, 10)) ms = ms * 32 + ALPHABET.indexOf(ch);
  return ms;
}

export const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
