/**
 * Reading and writing image containers byte by byte (the parsers beside this file). Every read is
 * bounds-checked: a file that ends early is a malformed image (ImageFormatError), never an
 * exception of another kind and never a read past the end.
 */

/** A file that is not a well-formed image of the type its signature names. */
export class ImageFormatError extends Error {
  override readonly name = "ImageFormatError";
}

export function malformed(why: string): never {
  throw new ImageFormatError(why);
}

/** `len` bytes from `at` exist in `b`. */
export function need(b: Uint8Array, at: number, len: number, what: string): void {
  if (at < 0 || len < 0 || at + len > b.length) malformed(`it ends inside ${what}`);
}

export const u16be = (b: Uint8Array, at: number) => (need(b, at, 2, "a number"), (b[at] << 8) | b[at + 1]);
export const u32be = (b: Uint8Array, at: number) => (need(b, at, 4, "a number"), ((b[at] << 24) >>> 0) + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]));
export const u16le = (b: Uint8Array, at: number) => (need(b, at, 2, "a number"), b[at] | (b[at + 1] << 8));
export const u24le = (b: Uint8Array, at: number) => (need(b, at, 3, "a number"), b[at] | (b[at + 1] << 8) | (b[at + 2] << 16));
export const u32le = (b: Uint8Array, at: number) => (need(b, at, 4, "a number"), (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + ((b[at + 3] << 24) >>> 0));

/** The bytes at `at` spell `text` (ASCII). */
export function hasAscii(b: Uint8Array, at: number, text: string): boolean {
  if (at < 0 || at + text.length > b.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

export const ascii = (b: Uint8Array, at: number, len: number) => (need(b, at, len, "a name"), String.fromCharCode(...b.subarray(at, at + len)));

export function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) (out.set(part, at), (at += part.length));
  return out;
}

export const u32leBytes = (n: number) => Uint8Array.of(n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG uses it) of `b`. */
export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
