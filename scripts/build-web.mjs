#!/usr/bin/env node
/**
 * Builds the web client into dist/web/ (served by Workers Static Assets):
 *   home.js, profile.js, post.js, notifications.js, people.js, settings.js, auth.js   one minified
 *               ES module per kind of
 *               page (web/entries/), so a page loads only its own code; the home feed's comment
 *               threads are loaded when first opened: home.js and that chunk share c-<hash>.js
 *   media.js    the photo code (shrink, upload, viewer: web/media/lazy.ts), imported by URL only
 *               when a page asks for it (web/media/load.ts); checked to be in no page bundle
 *   shell.html  the offline shell, rendered by the same document code the worker uses
 *   sw.js       the service worker at the root scope, versioned by the hash of what it caches
 *   favicon.svg
 *   api-docs/   the API reference page's code (/api/docs): Swagger UI from swagger-ui-dist, and
 *               init.js (web/entries/api-docs.ts); loaded by that page only, never by the app
 * Fixed file names: the worker's HTML references /home.js etc.; the service worker's version changes
 * whenever what it caches does. Prints raw and gzip sizes. Usage: node scripts/build-web.mjs
 */
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
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

// 1. The browser bundles. The home feed (the page the first-load budget is for) is built on its
// own with splitting, so what it imports later (import(): the comment thread) is a chunk of its
// own, and home.js plus one shared chunk is all its first load. The other pages are one file each
// (a dynamic import inlined), so no page pays for chunk boundaries it does not use.
const ENTRIES = ["home", "profile", "post", "notifications", "people", "settings", "auth"];
const LAZY = [{ in: "web/media/lazy.ts", out: "media" }];
for (const f of readdirSync(out)) if (/^c-.*\.js$/.test(f)) rmSync(join(out, f));
const browser = { ...common, outdir: out, format: "esm", target: "es2022", platform: "browser", metafile: true };
const others = build({
  ...browser,
  entryPoints: [...ENTRIES.slice(1).map((name) => ({ in: `web/entries/${name}.tsx`, out: name })), ...LAZY],
  mangleProps: /^_[a-zA-Z]/,
});
const bundles = await build({
  ...browser,
  entryPoints: [{ in: "web/entries/home.tsx", out: "home" }],
  splitting: true,
  chunkNames: "c-[hash]",
  // Shorter names for single-underscore private fields (partysocket, signals, virtual-core); no
  // dependency reads one by a string key (checked), and preact's own "__x" fields are left alone.
  mangleProps: /^_[a-zA-Z]/,
});
await others;

// The photo code must stay out of the page bundles and their chunks (home.js has a 30 KB gzip
// budget): these names occur only in web/media/shrink.ts and upload-xhr.ts (property names survive
// minification).
for (const file of [...ENTRIES.map((e) => `${e}.js`), ...readdirSync(out).filter((f) => /^c-.*\.js$/.test(f))]) {
  const code = readFileSync(join(out, file), "utf8");
  for (const marker of ["convertToBlob", "upload.onprogress", "showModal"]) {
    if (code.includes(marker)) throw new Error(`build-web: ${file} contains "${marker}": the photo code (web/media/lazy.ts) must only be loaded by web/media/load.ts`);
  }
}

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

/** The files a page's module loads before it runs (its static imports, transitively): what first load costs. */
function staticImports(file, seen = new Set()) {
  for (const i of bundles.metafile.outputs[`dist/web/${file}`]?.imports ?? []) {
    const name = i.path.replace(/^dist\/web\//, "");
    if (i.kind === "import-statement" && !seen.has(name)) (seen.add(name), staticImports(name, seen));
  }
  return [...seen];
}
const homeChunks = staticImports("home.js");

// 3. The service worker, versioned by what it caches: the shell and what home.js needs to run.
const hash = createHash("sha256");
for (const f of ["home.js", ...homeChunks, "shell.html", "favicon.svg"]) hash.update(readFileSync(join(out, f)));
const version = hash.digest("hex").slice(0, 12);
await build({
  ...common,
  entryPoints: ["web/sw.ts"],
  outfile: join(out, "sw.js"),
  format: "iife",
  target: "es2020",
  define: { ...common.define, VERSION: JSON.stringify(version), SHELL_CHUNKS: JSON.stringify(homeChunks.map((f) => `/${f}`)) },
});

// 4. The API reference page's code, from the swagger-ui-dist package (its source maps are not shipped).
const docsOut = join(out, "api-docs");
mkdirSync(docsOut, { recursive: true });
const swaggerDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
for (const f of ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-bundle.js.LICENSE.txt"]) {
  writeFileSync(join(docsOut, f), readFileSync(join(swaggerDir, f), "utf8").replace(/\n?\/[/*]# sourceMappingURL=\S+( \*\/)?\s*$/, "\n"));
}
await build({ ...common, entryPoints: ["web/entries/api-docs.ts"], outfile: join(docsOut, "init.js"), format: "iife", target: "es2020" });

const size = (f) => {
  const buf = readFileSync(join(out, f));
  return `${f} ${(buf.length / 1024).toFixed(1)} KB (${(gzipSync(buf, { level: 9 }).length / 1024).toFixed(1)} KB gzip)`;
};
const gz = (files) => files.reduce((n, f) => n + gzipSync(readFileSync(join(out, f)), { level: 9 }).length, 0);
const firstLoad = ENTRIES.map((e) => `${e}: ${(gz([`${e}.js`, ...staticImports(`${e}.js`)]) / 1024).toFixed(1)} KB`).join(", ");
const chunks = readdirSync(out).filter((f) => /^c-.*\.js$/.test(f));
console.log(`build-web: ${[...ENTRIES.map((e) => `${e}.js`), ...chunks, ...LAZY.map((e) => `${e.out}.js`), "sw.js", "shell.html"].map(size).join(", ")}; version ${version}; ${Date.now() - started} ms`);
console.log(`build-web: JS on first load (gzip, the page's module and its static imports): ${firstLoad}`);
