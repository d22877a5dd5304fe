/**
 * Time-sortable ids (ULID-style): 10 Crockford base32 chars of epoch milliseconds, then 16 random
 * chars. Lexicographic order is creation order, which is what "ids sort by creation time" in the
 * API contract and every keyset cursor rely on. Within one isolate ids are strictly increasing even
 * inside one millisecond.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
let lastTime = 0;
let lastRandom: number[] = [];

function encodeTime(ms: number): string {
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function randomDigits(): number[] {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b % 32);
}

/** Increment a base32 digit array in place; overflow is practically impossible (32^16 per ms). */
function increment(digits: number[]): number[] {
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

export function newId(now = Date.now()): string {
  now = Math.floor(now);
  if (now <= lastTime) {
    lastRandom = increment(lastRandom);
    now = lastTime;
  } else {
    lastTime = now;
    lastRandom = randomDigits();
  }
  return encodeTime(now) + lastRandom.map((d) => ALPHABET[d]).join("");
}

/** An id for time `ms` with a random tail: for bulk writers that do not create rows in time order. */
export function randomIdAt(ms: number): string {
  return encodeTime(Math.floor(ms)) + randomDigits().map((d) => ALPHABET[d]).join("");
}

/** The smallest id that could have been created at `ms`: a keyset bound for "created after". */
export function idFloorForTime(ms: number): string {
  return encodeTime(Math.max(0, Math.floor(ms))) + "0".repeat(16);
}

/**
 * Forgets the monotonic clock. A bulk writer (the seed) generates each table's ids in that table's
 * time order; a table whose rows are older than the previous table's last id must not inherit it.
 */
export function resetIdClock(): void {
  lastTime = 0;
  lastRandom = [];
}

/** The creation time (ms) encoded in an id. */
export function idTime(id: string): number {
  let ms = 0;
  for (const ch of id.slice(0, 10)) ms = ms * 32 + ALPHABET.indexOf(ch);
  return ms;
}

export const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
