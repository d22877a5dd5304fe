/**
 * JPEG: check the structure, read the size, and rebuild the file without its metadata.
 *
 * Kept: the segments a decoder needs (frame, tables, scans), JFIF's APP0 without its thumbnail,
 * the ICC colour profile (APP2 ICC_PROFILE: colours would shift without it) and Adobe's APP14
 * (CMYK files decode wrongly without it). Dropped: every other APPn (EXIF with its GPS tags and
 * thumbnail, XMP, Photoshop/IPTC, MPF and FlashPix), comments (COM), unknown segments, and
 * everything after the end marker (phones append secondary images there, each with its own
 * metadata). EXIF orientation is the one EXIF value kept: without it a phone's portrait photo
 * would show sideways, so a minimal EXIF block holding only that tag replaces the original.
 * The size returned is the size as displayed (orientations 5-8 swap width and height).
 */
import { ascii, concat, hasAscii, malformed, need, u16be } from "./bytes";
import type { ParsedImage } from "./image-types";

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic; not DHT C4, JPG C8, DAC CC). */
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** Table and control segments a decoder reads: DHT, DAC, DQT, DNL, DRI, DHP, EXP. */
const TABLES = new Set([0xc4, 0xcc, 0xdb, 0xdc, 0xdd, 0xde, 0xdf]);
const isRestart = (m: number) => m >= 0xd0 && m <= 0xd7;

export function cleanJpeg(b: Uint8Array): ParsedImage {
  if (b[0] !== 0xff || b[1] !== SOI) malformed("it does not start with a JPEG start marker");
  const kept: Uint8Array[] = [];
  let frame: { width: number; height: number } | null = null;
  let scans = 0;
  let orientation = 1;
  let pos = 2;
  for (;;) {
    need(b, pos, 2, "a marker");
    if (b[pos] !== 0xff) malformed("a segment does not start with a marker");
    while (b[pos + 1] === 0xff) (pos++, need(b, pos, 2, "a marker")); // fill bytes
    const marker = b[pos + 1];
    if (marker === EOI) break;
    if (marker === SOI || isRestart(marker) || marker === 0x01 || marker === 0x00) malformed(`a stray marker 0x${marker.toString(16)}`);
    const length = u16be(b, pos + 2);
    if (length < 2) malformed("a segment length is below 2");
    need(b, pos + 2, length, "a segment");
    const segment = b.subarray(pos, pos + 2 + length);
    const payload = b.subarray(pos + 4, pos + 2 + length);
    pos += 2 + length;
    if (isStartOfFrame(marker)) {
      if (frame) malformed("it has two frames");
      frame = readFrame(payload);
      kept.push(segment);
    } else if (TABLES.has(marker)) {
      kept.push(segment);
    } else if (marker === SOS) {
      if (!frame) malformed("a scan comes before the frame header");
      kept.push(segment);
      const end = endOfEntropyData(b, pos);
      kept.push(b.subarray(pos, end));
      pos = end;
      scans++;
    } else if (marker === APP0) {
      // JFIF without its thumbnail (a thumbnail is a picture of its own, perhaps of what was cropped).
      if (hasAscii(payload, 0, "JFIF\0") && payload.length >= 14) kept.push(app(APP0, Uint8Array.of(...payload.subarray(0, 12), 0, 0)));
    } else if (marker === APP1) {
      if (hasAscii(payload, 0, "Exif\0\0")) orientation = exifOrientation(payload.subarray(6)) ?? orientation;
    } else if (marker === APP2) {
      if (hasAscii(payload, 0, "ICC_PROFILE\0")) kept.push(segment);
    } else if (marker === APP14) {
      if (hasAscii(payload, 0, "Adobe")) kept.push(segment);
    }
    // Anything else (other APPn, COM, reserved markers) is metadata or unknown: dropped.
  }
  if (!frame) malformed("it has no frame header");
  if (scans === 0) malformed("it has no image data");
  const exif = orientation === 1 ? [] : [app(APP1, orientationExif(orientation))];
  // JFIF's APP0, when kept, stays first (its specification asks for it); the EXIF block follows.
  const jfifFirst = kept.length > 0 && kept[0][1] === APP0 ? 1 : 0;
  const bytes = concat([Uint8Array.of(0xff, SOI), ...kept.slice(0, jfifFirst), ...exif, ...kept.slice(jfifFirst), Uint8Array.of(0xff, EOI)]);
  const swapped = orientation >= 5;
  return { width: swapped ? frame.height : frame.width, height: swapped ? frame.width : frame.height, bytes };
}

function readFrame(p: Uint8Array): { width: number; height: number } {
  need(p, 0, 6, "the frame header");
  const height = u16be(p, 1);
  const width = u16be(p, 3);
  const components = p[5];
  if (components < 1 || p.length !== 6 + 3 * components) malformed("the frame header's length does not match its components");
  // A height of 0 is defined later by a DNL segment; no browser-facing encoder writes that.
  if (width === 0 || height === 0) malformed("the frame has no size");
  return { width, height };
}

/** The end of a scan's entropy-coded data: the next marker that is not a stuffed 0xFF00 or a restart. */
function endOfEntropyData(b: Uint8Array, from: number): number {
  for (let i = from; i < b.length - 1; i++) {
    if (b[i] !== 0xff) continue;
    const next = b[i + 1];
    if (next === 0x00 || isRestart(next) || next === 0xff) continue;
    return i;
  }
  return malformed("it ends inside the image data");
}

function app(marker: number, payload: Uint8Array): Uint8Array {
  const length = payload.length + 2;
  return concat([Uint8Array.of(0xff, marker, length >> 8, length & 255), payload]);
}

/** EXIF's Orientation (tag 0x0112 of IFD0) when present and valid; a broken EXIF block is simply ignored. */
export function exifOrientation(tiff: Uint8Array): number | null {
  if (tiff.length < 8) return null;
  const order = ascii(tiff, 0, 2);
  if (order !== "II" && order !== "MM") return null;
  const little = order === "II";
  const r16 = (at: number) => (at + 2 > tiff.length ? -1 : little ? tiff[at] | (tiff[at + 1] << 8) : (tiff[at] << 8) | tiff[at + 1]);
  const r32 = (at: number) => (at + 4 > tiff.length ? -1 : little ? (r16(at) | (r16(at + 2) << 16)) >>> 0 : ((r16(at) << 16) | r16(at + 2)) >>> 0);
  if (r16(2) !== 42) return null;
  const ifd = r32(4);
  const count = r16(ifd);
  if (ifd < 8 || count < 0) return null;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return null;
    if (r16(entry) !== 0x0112) continue;
    const value = r16(entry + 8);
    return r16(entry + 2) === 3 && value >= 1 && value <= 8 ? value : null;
  }
  return null;
}

/** "Exif\0\0" and a big-endian TIFF block whose IFD0 holds Orientation only. */
export function orientationExif(orientation: number): Uint8Array {
  return Uint8Array.of(
    ...[0x45, 0x78, 0x69, 0x66, 0, 0], // Exif\0\0
    ...[0x4d, 0x4d, 0, 42, 0, 0, 0, 8], // MM, 42, IFD0 at 8
    ...[0, 1], // one entry
    ...[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0], // Orientation, SHORT, 1 value
    ...[0, 0, 0, 0], // no next IFD
  );
}
