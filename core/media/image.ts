/**
 * An upload's bytes as they will be stored: the type from the file's own signature (never a header
 * or a name), checked to be a well-formed file of that type, its size as displayed, and its
 * metadata (EXIF with GPS, XMP, comments, text chunks) stripped at the container level by the
 * parser of its type. Pure functions, no I/O: the edge runs this before any object is woken.
 */
import { LIMITS, type MediaType } from "../../schema/api";
import { ApiError } from "../errors";
import { ImageFormatError } from "./bytes";
import { cleanGif } from "./gif";
import type { ParsedImage } from "./image-types";
import { cleanJpeg } from "./jpeg";
import { cleanPng } from "./png";
import { sniffImageType } from "./sniff";
import { cleanWebp } from "./webp";

export interface CleanImage extends ParsedImage {
  mimeType: MediaType;
}

const PARSERS: Record<MediaType, (bytes: Uint8Array) => ParsedImage> = {
  "image/jpeg": cleanJpeg,
  "image/png": cleanPng,
  "image/webp": cleanWebp,
  "image/gif": cleanGif,
};

const NAMES: Record<MediaType, string> = { "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "image/gif": "GIF" };

export function cleanImage(bytes: Uint8Array): CleanImage {
  if (bytes.length === 0) throw new ApiError(400, "INVALID_IMAGE", "The upload is empty.");
  const mimeType = sniffImageType(bytes);
  if (!mimeType) throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "Only JPEG, PNG, WebP and GIF images can be uploaded.");
  let parsed: ParsedImage;
  try {
    parsed = PARSERS[mimeType](bytes);
  } catch (error) {
    // A parser fails only by ImageFormatError; anything else from one is still the file's fault, never a 500.
    const why = error instanceof ImageFormatError ? error.message : "it could not be read";
    throw new ApiError(400, "INVALID_IMAGE", `This is not a well-formed ${NAMES[mimeType]} file: ${why}.`, { type: mimeType });
  }
  const { width, height } = parsed;
  if (width > LIMITS.mediaSideMax || height > LIMITS.mediaSideMax || width * height > LIMITS.mediaPixelsMax) {
    throw new ApiError(400, "INVALID_IMAGE", `Images may be at most ${LIMITS.mediaSideMax} pixels a side and ${LIMITS.mediaPixelsMax / 1e6} megapixels.`, {
      width,
      height,
      maxSide: LIMITS.mediaSideMax,
      maxPixels: LIMITS.mediaPixelsMax,
    });
  }
  return { mimeType, ...parsed };
}
