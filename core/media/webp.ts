/**
 * WebP: check the RIFF structure, read the size, and drop the EXIF and XMP chunks.
 *
 * A simple file is one image chunk: `VP8 ` (lossy; the size is in its key frame header) or `VP8L`
 * (lossless; 14-bit sizes after its signature byte). An extended file starts with `VP8X` (flags
 * and the canvas size), then ICC profile, animation, alpha and image chunks, then EXIF and XMP.
 * Without its metadata the file is rebuilt: the VP8X flags no longer announce EXIF or XMP, and the
 * RIFF size is the new length. Unknown chunks are dropped; bytes after the RIFF's end too.
 */
import { ascii, concat, hasAscii, malformed, need, u16le, u24le, u32le, u32leBytes } from "./bytes";
import type { ParsedImage } from "./image-types";

/** VP8X flag bits (WebP container specification). */
const FLAG_ANIMATION = 0x02;
const FLAG_XMP = 0x04;
const FLAG_EXIF = 0x08;
const FLAG_ICC = 0x20;

const EXTENDED_KEEP = new Set(["ICCP", "ANIM", "ANMF", "ALPH", "VP8 ", "VP8L"]);

interface Chunk {
  fourcc: string;
  data: Uint8Array;
}

export function cleanWebp(b: Uint8Array): ParsedImage {
  if (!hasAscii(b, 0, "RIFF") || !hasAscii(b, 8, "WEBP")) malformed("it is not a RIFF WEBP file");
  const riffSize = u32le(b, 4);
  if (riffSize < 4) malformed("the RIFF size is not valid");
  need(b, 8, riffSize, "the RIFF container");
  const chunks = readChunks(b.subarray(12, 8 + riffSize));
  if (chunks.length === 0) malformed("it has no chunks");
  const first = chunks[0];
  if (first.fourcc === "VP8 " || first.fourcc === "VP8L") {
    const size = imageChunkSize(first);
    return { ...size, bytes: riff([first]) };
  }
  if (first.fourcc !== "VP8X") malformed(`it starts with an unknown chunk "${first.fourcc}"`);
  if (first.data.length < 10) malformed("VP8X is too short");
  const flags = first.data[0];
  const width = u24le(first.data, 4) + 1;
  const height = u24le(first.data, 7) + 1;
  const kept = chunks.slice(1).filter((c) => EXTENDED_KEEP.has(c.fourcc));
  if (flags & FLAG_ANIMATION) {
    if (!kept.some((c) => c.fourcc === "ANMF")) malformed("an animation without frames");
  } else {
    const image = kept.find((c) => c.fourcc === "VP8 " || c.fourcc === "VP8L");
    if (!image) malformed("it has no image data");
    imageChunkSize(image); // the bitstream's own header must be sound
  }
  // Flags as the rebuilt file is: no EXIF, no XMP; ICC only if its chunk was there to keep.
  let newFlags = flags & ~(FLAG_EXIF | FLAG_XMP);
  if (!kept.some((c) => c.fourcc === "ICCP")) newFlags &= ~FLAG_ICC;
  const header = Uint8Array.of(newFlags, 0, 0, 0, ...first.data.subarray(4, 10));
  return { width, height, bytes: riff([{ fourcc: "VP8X", data: header }, ...kept]) };
}

function readChunks(body: Uint8Array): Chunk[] {
  const out: Chunk[] = [];
  let pos = 0;
  while (pos < body.length) {
    const fourcc = ascii(body, pos, 4);
    const size = u32le(body, pos + 4);
    need(body, pos + 8, size, `the ${fourcc.trim() || "unnamed"} chunk`);
    out.push({ fourcc, data: body.subarray(pos + 8, pos + 8 + size) });
    pos += 8 + size + (size % 2); // chunks are padded to an even length
  }
  return out;
}

/** The size written in a VP8 key frame or a VP8L header. */
function imageChunkSize(chunk: Chunk): { width: number; height: number } {
  const d = chunk.data;
  if (chunk.fourcc === "VP8 ") {
    need(d, 0, 10, "the VP8 frame header");
    if (d[0] & 1) malformed("the VP8 frame is not a key frame");
    if (d[3] !== 0x9d || d[4] !== 0x01 || d[5] !== 0x2a) malformed("the VP8 start code is missing");
    const width = u16le(d, 6) & 0x3fff;
    const height = u16le(d, 8) & 0x3fff;
    if (width === 0 || height === 0) malformed("the VP8 frame has no size");
    return { width, height };
  }
  need(d, 0, 5, "the VP8L header");
  if (d[0] !== 0x2f) malformed("the VP8L signature is missing");
  const bits = u32le(d, 1);
  if (bits >>> 29 !== 0) malformed("the VP8L version is unknown");
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

function riff(chunks: Chunk[]): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  for (const { fourcc, data } of chunks) {
    parts.push(Uint8Array.from(fourcc, (c) => c.charCodeAt(0)), u32leBytes(data.length), data);
    if (data.length % 2) parts.push(Uint8Array.of(0));
  }
  const body = concat(parts);
  return concat([Uint8Array.from("RIFF", (c) => c.charCodeAt(0)), u32leBytes(body.length + 4), Uint8Array.from("WEBP", (c) => c.charCodeAt(0)), body]);
}
