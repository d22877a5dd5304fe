/**
 * Imported (for nothing but its imports) by every part the home page loads later: Thread,
 * OwnPost, Suggestions, AttachmentList. With code splitting, esbuild gives each distinct set of
 * importers its own chunk, so the modules the page shares with some of those parts (preact, its
 * hooks, the store, text formatting, avatars) became six files on first load, each gzipped apart
 * (1.3 KB gzip more than one file). Made reachable from every later part, they share one chunk.
 */
import "preact";
import "preact/hooks";
import "preact/jsx-runtime";
import "@preact/signals";
import "../store";
import "../lib/format";
import "./context";
import "./UserText";
import "./Avatar";
import "./PersonRow";
