/** The image type named by a file's own first bytes: the only thing that decides it (API.md Media). */
import type { MediaType } from "../../schema/api";
import { hasAscii } from "./bytes";

export function sniffImageType(b: Uint8Array): MediaType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.length >= 8 && b[0] === 0x89 && hasAscii(b, 1, "PNG\r\n\x1a\n")) return "image/png";
  if (hasAscii(b, 0, "GIF87a") || hasAscii(b, 0, "GIF89a")) return "image/gif";
  if (hasAscii(b, 0, "RIFF") && hasAscii(b, 8, "WEBP")) return "image/webp";
  return null;
}
