/**
 * Loads /media.js (web/media/lazy.ts) once, on first need: the composer's photo button, a dropped
 * or pasted image, the avatar picker, a click on an image. It is built as a file of its own
 * (scripts/build-web.mjs) and imported by URL, so no page bundle carries it.
 */
import type * as MediaModule from "./lazy";

export type Media = typeof MediaModule;

/** Kept in a variable so the bundler leaves the import to the browser. */
const MEDIA_MODULE_URL = "/media.js";
let loading: Promise<Media> | null = null;

export function loadMedia(): Promise<Media> {
  loading ??= (import(/* @vite-ignore */ MEDIA_MODULE_URL) as Promise<Media>).catch((error) => {
    loading = null; // offline, say: the next ask tries again
    throw error;
  });
  return loading;
}
