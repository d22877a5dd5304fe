/**
 * PNG (and APNG): check the structure (signature, IHDR first, every chunk's length and CRC, image
 * data, IEND), read the size from IHDR, and keep only the chunks that affect how the picture
 * looks. Text (tEXt, zTXt, iTXt), EXIF (eXIf), time (tIME), signatures and content credentials
 * (dSIG, caBX), private chunks and anything after IEND are dropped: an allow-list, so metadata a
 * new tool invents is dropped too. An unknown *critical* chunk (upper-case first letter) makes the
 * file unreadable to decoders, so it is refused.
 */
import { ascii, concat, crc32, malformed, need, u32be } from "./bytes";
import type { ParsedImage } from "./image-types";

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** Chunks kept: critical ones, transparency and colour, physical size, animation (APNG), HDR. */
const KEEP = new Set(["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "bKGD", "pHYs", "cICP", "mDCV", "cLLI", "acTL", "fcTL", "fdAT"]);
const CHUNK_NAME = /^[A-Za-z]{4}$/;
const MAX_CHUNK = 0x7fffffff;

export function cleanPng(b: Uint8Array): ParsedImage {
  need(b, 0, SIGNATURE.length, "the signature");
  const kept: Uint8Array[] = [SIGNATURE];
  let pos = SIGNATURE.length;
  let size: { width: number; height: number } | null = null;
  let imageData = 0;
  for (;;) {
    const length = u32be(b, pos);
    if (length > MAX_CHUNK) malformed("a chunk is longer than PNG allows");
    const type = ascii(b, pos + 4, 4);
    if (!CHUNK_NAME.test(type)) malformed("a chunk has no valid name");
    need(b, pos + 8, length + 4, `the ${type} chunk`);
    const chunk = b.subarray(pos, pos + 12 + length);
    if (crc32(b.subarray(pos + 4, pos + 8 + length)) !== u32be(b, pos + 8 + length)) malformed(`the ${type} chunk's checksum is wrong`);
    const data = b.subarray(pos + 8, pos + 8 + length);
    pos += 12 + length;
    if (!size) {
      if (type !== "IHDR") malformed("the first chunk is not IHDR");
      size = readHeader(data);
    } else if (type === "IHDR") malformed("it has two IHDR chunks");
    if (type === "IDAT") imageData++;
    if (KEEP.has(type)) kept.push(chunk);
    else if (type.charCodeAt(0) < 0x61) malformed(`an unknown critical chunk ${type}`);
    if (type === "IEND") break;
  }
  if (imageData === 0) malformed("it has no image data");
  return { ...size, bytes: concat(kept) };
}

function readHeader(data: Uint8Array): { width: number; height: number } {
  if (data.length !== 13) malformed("IHDR has the wrong length");
  const width = u32be(data, 0);
  const height = u32be(data, 4);
  if (width === 0 || height === 0 || width > MAX_CHUNK || height > MAX_CHUNK) malformed("the image has no valid size");
  return { width, height };
}
