/**
 * Which Chromium the browser tests (playwright.config.ts) and the web budget bench use. One lookup,
 * shared, so `scripts/ensure-browser.mjs` (which may install one) and Playwright agree:
 *   1. $CHROMIUM_PATH: must be an executable file, else an error (a typo must not silently fall
 *      back to another browser);
 *   2. a system Chromium or Chrome: chromium, chromium-browser, google-chrome, google-chrome-stable,
 *      on PATH or in /usr/bin;
 *   3. Playwright's own Chromium (`npx playwright install chromium`), if it is on disk.
 * Returns null when there is none; it never installs anything (that is ensure-browser's job).
 *
 * For tests of the lookup: EDGEFEED_BROWSER_SEARCH_PATHS (":"-separated directories) replaces
 * PATH + /usr/bin for step 2, and EDGEFEED_BROWSER_NO_PLAYWRIGHT=1 skips step 3.
 */
import { accessSync, constants, statSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, isAbsolute, join, resolve } from "node:path";

export const SYSTEM_BROWSERS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** The launch arguments every Chromium of ours gets (CI runs as root, hence --no-sandbox). */
export const BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export const NO_BROWSER_HINT =
  "edgefeed: no Chromium for the browser tests; install one (apt-get install chromium, or npx playwright install chromium) or set CHROMIUM_PATH";

export function isExecutableFile(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function searchDirs(env) {
  if (env.EDGEFEED_BROWSER_SEARCH_PATHS !== undefined) return env.EDGEFEED_BROWSER_SEARCH_PATHS.split(delimiter).filter(Boolean);
  const dirs = (env.PATH ?? "").split(delimiter).filter((d) => d && isAbsolute(d));
  if (!dirs.includes("/usr/bin")) dirs.push("/usr/bin");
  return dirs;
}

/** Playwright's own Chromium if it is downloaded, else null. */
export function playwrightChromium() {
  let path;
  try {
    const require = createRequire(import.meta.url);
    path = require("@playwright/test").chromium.executablePath();
  } catch {
    return null;
  }
  return path && isExecutableFile(path) ? path : null;
}

/**
 * { path, source } of the browser to use, or null. Throws if CHROMIUM_PATH is set but is not an
 * executable file.
 */
export function findBrowser(env = process.env) {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) {
    const path = resolve(fromEnv);
    if (!isExecutableFile(path)) throw new Error(`edgefeed: CHROMIUM_PATH=${fromEnv} is not an executable file; fix it or unset it`);
    return { path, source: "CHROMIUM_PATH" };
  }
  const dirs = searchDirs(env);
  for (const name of SYSTEM_BROWSERS) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (isExecutableFile(path)) return { path, source: `system ${name}` };
    }
  }
  if (env.EDGEFEED_BROWSER_NO_PLAYWRIGHT !== "1") {
    const path = playwrightChromium();
    if (path) return { path, source: "Playwright's own" };
  }
  return null;
}
