/**
 * Browser tests: Chromium against `wrangler dev` on port 8788 with its own state directory
 * (.wrangler/e2e, wiped at start), so they never touch the state of a developer's server on 8787.
 */
import { defineConfig } from "@playwright/test";
import { BROWSER_ARGS, findBrowser } from "./scripts/lib/browser.mjs";

// E2E_PORT: another port when two checkouts run their browser tests at once.
export const PORT = Number(process.env.E2E_PORT ?? 8788);
// The lookup scripts/ensure-browser.mjs used (`npm run test:e2e` runs it first, and installs a
// Chromium if there is none); this file only looks. Undefined: Playwright's default, which fails
// with its own "Executable doesn't exist".
const executablePath = findBrowser()?.path;
const STATE = ".wrangler/e2e";
const wranglerEnv = "CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false";

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // One retry on CI only: a rare timing flake on a loaded 2-core runner must not block a landing;
  // a real failure fails twice. Locally a failure shows at once.
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: {
      executablePath,
      args: BROWSER_ARGS,
    },
    trace: "retain-on-failure",
  },
  webServer: {
    command: [
      "node scripts/build-web.mjs",
      `node -e "require('fs').rmSync('${STATE}',{recursive:true,force:true})"`,
      `${wranglerEnv} npx wrangler d1 migrations apply DB --local --persist-to ${STATE}`,
      `${wranglerEnv} exec npx wrangler dev --port ${PORT} --persist-to ${STATE} --var POST_RATE_LIMIT_PER_MINUTE:100000 --var SIGNUP_RATE_LIMIT_PER_MINUTE:100000 --show-interactive-dev-session=false`,
    ].join(" && "),
    url: `http://localhost:${PORT}/api/v1/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
