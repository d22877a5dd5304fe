/**
 * Opaque cursors: a small JSON object, base64url-encoded. Decoding validates the shape with a
 * schema, so any syntactically bad cursor is a 400 INVALID_CURSOR, never a 500.
 */
import type { z } from "zod";
import { ApiError } from "./errors";

export function encodeCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new Error("alphabet");
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const json = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    return schema.parse(JSON.parse(json));
  } catch {
    throw new ApiError(400, "INVALID_CURSOR", "The cursor is not valid; start again without one.");
  }
}
