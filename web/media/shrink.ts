/**
 * Shrinking a photo in the browser before it is uploaded (lazy: web/media/lazy.ts). A photo whose
 * longest edge is over 2,048 px, or that weighs over 1 MiB, or that the server would not take
 * as it is (HEIC from an iPhone, say), is drawn at most 2,048 px on its longest edge, upright (the
 * decoder applies EXIF orientation), and re-encoded as WebP (JPEG where the browser cannot write
 * WebP). Re-encoding writes only pixels: the metadata is gone before the bytes leave the device.
 * A GIF is sent as it is (re-encoding would stop its animation); the server strips it either way.
 */
export const MAX_EDGE = 2048;
const REENCODE_ABOVE_BYTES = 1024 * 1024;
const SENDABLE = new Set(["image/jpeg", "image/png", "image/webp", "image/gif"]);
const QUALITY = 0.82;

export interface Prepared {
  blob: Blob;
  width: number;
  height: number;
}

type Canvas2D = { canvas: OffscreenCanvas | HTMLCanvasElement; ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D };

function canvasOf(width: number, height: number): Canvas2D {
  if (typeof OffscreenCanvas !== "undefined") {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext("2d");
    if (ctx) return { canvas, ctx };
  }
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  return { canvas, ctx: canvas.getContext("2d")! };
}

function encode(canvas: OffscreenCanvas | HTMLCanvasElement, type: string): Promise<Blob | null> {
  if ("convertToBlob" in canvas) return canvas.convertToBlob({ type, quality: QUALITY }).catch(() => null);
  return new Promise((resolve) => (canvas as HTMLCanvasElement).toBlob(resolve, type, QUALITY));
}

/** The image as it will be uploaded, with its displayed size. */
export async function prepareImage(file: Blob, maxEdge = MAX_EDGE): Promise<Prepared> {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  try {
    const { width, height } = bitmap;
    const fits = Math.max(width, height) <= maxEdge;
    if (file.type === "image/gif" || (fits && file.size <= REENCODE_ABOVE_BYTES && SENDABLE.has(file.type))) return { blob: file, width, height };
    const scale = Math.min(1, maxEdge / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    return { blob: await draw(bitmap, w, h), width: w, height: h };
  } finally {
    bitmap.close();
  }
}

/** A square crop of the middle, `size` px a side: an avatar. */
export async function prepareSquare(file: Blob, size: number): Promise<Prepared> {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  try {
    const side = Math.min(bitmap.width, bitmap.height);
    const out = Math.min(size, side);
    const crop = { sx: (bitmap.width - side) / 2, sy: (bitmap.height - side) / 2, side };
    return { blob: await draw(bitmap, out, out, crop), width: out, height: out };
  } finally {
    bitmap.close();
  }
}

async function draw(bitmap: ImageBitmap, w: number, h: number, crop?: { sx: number; sy: number; side: number }): Promise<Blob> {
  const { canvas, ctx } = canvasOf(w, h);
  ctx.imageSmoothingQuality = "high";
  const source = crop ? ([crop.sx, crop.sy, crop.side, crop.side] as const) : ([0, 0, bitmap.width, bitmap.height] as const);
  ctx.drawImage(bitmap, ...source, 0, 0, w, h);
  const webp = await encode(canvas, "image/webp");
  if (webp && webp.type === "image/webp") return webp;
  // JPEG has no transparency: what was transparent becomes white, not black.
  ctx.globalCompositeOperation = "destination-over";
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, h);
  const jpeg = await encode(canvas, "image/jpeg");
  if (!jpeg) throw new Error("This browser could not encode the image.");
  return jpeg;
}
