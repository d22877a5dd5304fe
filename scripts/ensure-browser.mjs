#!/usr/bin/env node
/**
 * `node scripts/ensure-browser.mjs`: make sure the browser tests have a Chromium (run by
 * `npm run test:e2e` before `playwright test`, so `npm test` works on a bare machine).
 * Finds one with the lookup playwright.config.ts uses (scripts/lib/browser.mjs: CHROMIUM_PATH, a
 * system Chromium or Chrome, Playwright's own); if there is none, gets one:
 *   1. `npx playwright install chromium` (needs to reach Playwright's CDN);
 *   2. as root on a Debian/Ubuntu machine: `apt-get update && apt-get install chromium`.
 * Prints the path it chose; otherwise exits 1 with one line saying what to install.
 * Set EDGEFEED_BROWSER_NO_INSTALL=1 to only look, never install.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findBrowser, NO_BROWSER_HINT } from "./lib/browser.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const INSTALL_TIMEOUT_MS = 10 * 60_000;

const say = (line) => console.error(`edgefeed: ${line}`);

function found(browser) {
  console.log(`edgefeed: Chromium for the browser tests: ${browser.path} (${browser.source})`);
  process.exit(0);
}

function lookup() {
  try {
    return findBrowser();
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}

/** Runs a command quietly; true if it exited 0 within the timeout. */
function run(command, args, env = process.env) {
  const r = spawnSync(command, args, { cwd: ROOT, env, stdio: "ignore", timeout: INSTALL_TIMEOUT_MS });
  return r.status === 0;
}

function onPath(command) {
  return (process.env.PATH ?? "").split(":").some((dir) => dir && existsSync(join(dir, command)));
}

function isDebianLike() {
  if (existsSync("/etc/debian_version")) return true;
  try {
    return /^ID(_LIKE)?=.*\b(debian|ubuntu)\b/m.test(readFileSync("/etc/os-release", "utf8"));
  } catch {
    return false;
  }
}

let browser = lookup();
if (browser) found(browser);

if (process.env.EDGEFEED_BROWSER_NO_INSTALL !== "1") {
  say("no Chromium found; trying `npx playwright install chromium`...");
  if (run("npx", ["playwright", "install", "chromium"]) && (browser = lookup())) found(browser);

  if (process.getuid?.() === 0 && isDebianLike() && onPath("apt-get")) {
    say("Playwright's download failed; installing Debian's chromium with apt-get (a minute or two)...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    run("apt-get", ["update", "-qq"], env); // a failed list (one unreachable mirror) need not stop the install
    if (run("apt-get", ["install", "-y", "-qq", "chromium"], env) && (browser = lookup())) found(browser);
  }
}

console.error(NO_BROWSER_HINT);
process.exit(1);
