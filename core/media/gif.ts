/**
 * GIF: check the block structure (header, logical screen, colour tables, extensions, images with
 * their data sub-blocks, trailer), read the size from the logical screen, and drop comment
 * extensions and application extensions other than the looping one (NETSCAPE2.0 / ANIMEXTS1.0):
 * XMP, ICC and vendor blocks travel as application extensions. Graphic control (frame timing and
 * transparency) and plain-text extensions are part of the picture and stay; bytes after the
 * trailer are dropped.
 */
import { concat, hasAscii, malformed, need, u16le } from "./bytes";
import type { ParsedImage } from "./image-types";

const EXTENSION = 0x21;
const IMAGE = 0x2c;
const TRAILER = 0x3b;
const GRAPHIC_CONTROL = 0xf9;
const PLAIN_TEXT = 0x01;
const APPLICATION = 0xff;
const LOOPING = ["NETSCAPE2.0", "ANIMEXTS1.0"];

const colorTableSize = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);

export function cleanGif(b: Uint8Array): ParsedImage {
  need(b, 0, 13, "the header");
  const width = u16le(b, 6);
  const height = u16le(b, 8);
  if (width === 0 || height === 0) malformed("the logical screen has no size");
  let pos = 13 + colorTableSize(b[10]);
  need(b, 0, pos, "the global colour table");
  const kept: Uint8Array[] = [b.subarray(0, pos)];
  let images = 0;
  for (;;) {
    need(b, pos, 1, "a block");
    const introducer = b[pos];
    if (introducer === TRAILER) {
      kept.push(b.subarray(pos, pos + 1));
      break;
    }
    if (introducer === EXTENSION) {
      need(b, pos, 2, "an extension");
      const label = b[pos + 1];
      const end = skipSubBlocks(b, pos + 2);
      const keep =
        label === GRAPHIC_CONTROL || label === PLAIN_TEXT || (label === APPLICATION && b[pos + 2] === 11 && LOOPING.some((id) => hasAscii(b, pos + 3, id)));
      if (keep) kept.push(b.subarray(pos, end));
      pos = end;
    } else if (introducer === IMAGE) {
      need(b, pos, 10, "an image descriptor");
      const dataStart = pos + 10 + colorTableSize(b[pos + 9]);
      need(b, dataStart, 1, "an image's code size");
      const codeSize = b[dataStart];
      if (codeSize < 1 || codeSize > 11) malformed("an image's LZW code size is not valid");
      const end = skipSubBlocks(b, dataStart + 1);
      kept.push(b.subarray(pos, end));
      pos = end;
      images++;
    } else {
      malformed(`an unknown block 0x${introducer.toString(16)}`);
    }
  }
  if (images === 0) malformed("it has no image");
  return { width, height, bytes: concat(kept) };
}

/** The position after a run of data sub-blocks (each a length byte and that many bytes; 0 ends the run). */
function skipSubBlocks(b: Uint8Array, from: number): number {
  let pos = from;
  for (;;) {
    need(b, pos, 1, "a data sub-block");
    const size = b[pos];
    pos += 1;
    if (size === 0) return pos;
    need(b, pos, size, "a data sub-block");
    pos += size;
  }
}
