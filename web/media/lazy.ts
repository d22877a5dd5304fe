/**
 * /media.js: the photo code the pages load only when asked (web/media/load.ts): shrinking and
 * uploading from the composer or the avatar picker, and the image viewer. Plain DOM and
 * TypeScript, no Preact: the page's own copy of Preact stays the only one, and home.js stays
 * within its budget (scripts/build-web.mjs checks that none of this is in a page bundle).
 */
export { prepareImage, prepareSquare, MAX_EDGE } from "./shrink";
export { uploadImage } from "./upload-xhr";
export { openViewer } from "./viewer";
