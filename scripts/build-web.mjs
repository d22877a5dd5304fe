#!/usr/bin/env node
/**
 * Builds the web client into dist/web/ (served by Workers Static Assets):
 *   home.js, profile.js, people.js, settings.js, auth.js   one minified ES module per kind of page (web/entries/), so a
 *               page loads only its own code in a single request
 *   shell.html  the offline shell, rendered by the same document code the worker uses
 *   sw.js       the service worker at the root scope, versioned by the hash of what it caches
 *   favicon.svg
 * Fixed file names: the worker's HTML references /home.js etc.; the service worker's version changes
 * whenever what it caches does. Prints raw and gzip sizes. Usage: node scripts/build-web.mjs
 */
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist/web");
const started = Date.now();
mkdirSync(out, { recursive: true });

/** partysocket's debug logging is off unless asked for; its one-line calls and their strings are dropped. */
const stripDebugLogs = {
  name: "strip-debug-logs",
  setup(b) {
    b.onLoad({ filter: /partysocket[\\/]dist[\\/]ws\.js$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8").replace(/^\s*this\._debug\([^;\n]*\);$/gm, ""),
      loader: "js",
    }));
  },
};
const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  tsconfig: join(root, "tsconfig.json"),
  define: { "process.env.NODE_ENV": '"production"' },
  plugins: [stripDebugLogs],
};

// 1. The browser bundles.
const ENTRIES = ["home", "profile", "people", "settings", "auth"];
await build({
  ...common,
  entryPoints: ENTRIES.map((name) => ({ in: `web/entries/${name}.tsx`, out: name })),
  outdir: out,
  format: "esm",
  target: "es2022",
  platform: "browser",
  // Shorter names for single-underscore private fields (partysocket, signals, virtual-core); no
  // dependency reads one by a string key (checked), and preact's own "__x" fields are left alone.
  mangleProps: /^_[a-zA-Z]/,
});

// 2. The offline shell: the worker's document renderer, bundled for node and run once.
const tmp = join(root, `node_modules/.cache/edgefeed-shell-${process.pid}.mjs`); // unique: builds may run concurrently
mkdirSync(dirname(tmp), { recursive: true });
await build({
  ...common,
  minify: false,
  stdin: { contents: 'export { renderShell } from "./worker/ssr/document";', resolveDir: root, loader: "ts" },
  outfile: tmp,
  format: "esm",
  platform: "node",
  target: "node20",
});
const { renderShell } = await import(`${pathToFileURL(tmp).href}?t=${Date.now()}`);
writeFileSync(join(out, "shell.html"), renderShell());
rmSync(tmp, { force: true });

writeFileSync(
  join(out, "favicon.svg"),
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#2563eb"/><path d="M9 10h14M9 16h10M9 22h14" stroke="#fff" stroke-width="3" stroke-linecap="round"/></svg>',
);

// 3. The service worker, versioned by what it caches.
const hash = createHash("sha256");
for (const f of ["home.js", "shell.html", "favicon.svg"]) hash.update(readFileSync(join(out, f)));
const version = hash.digest("hex").slice(0, 12);
await build({
  ...common,
  entryPoints: ["web/sw.ts"],
  outfile: join(out, "sw.js"),
  format: "iife",
  target: "es2020",
  define: { ...common.define, VERSION: JSON.stringify(version) },
});

const size = (f) => {
  const buf = readFileSync(join(out, f));
  return `${f} ${(buf.length / 1024).toFixed(1)} KB (${(gzipSync(buf, { level: 9 }).length / 1024).toFixed(1)} KB gzip)`;
};
console.log(`build-web: ${[...ENTRIES.map((e) => `${e}.js`), "sw.js", "shell.html"].map(size).join(", ")}; version ${version}; ${Date.now() - started} ms`);
