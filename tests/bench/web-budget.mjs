#!/usr/bin/env node
/**
 * `node tests/bench/web-budget.mjs [--port 8791] [--runs 5]`: the web client's budgets (issue 4),
 * measured, not asserted:
 *   1. JS transferred on first load of the home page, gzip (every script the page loads, and the
 *      service worker the browser fetches after load, listed apart);
 *   2. first post visible on a 400 Kbps / 400 ms link (CDP Network.emulateNetworkConditions:
 *      latency 400, 51,200 B/s both ways), cold cache, server-rendered page; the time is the
 *      Element Timing render time of the first post's text (`elementtiming="post"`), also with
 *      4x CPU throttling;
 *   3. own like and own post visible after the click: from the click to the first frame after
 *      the DOM shows it (median of several).
 * Builds the client, starts its own `wrangler dev` on a fresh state dir (.wrangler/bench-web) and
 * stops it on every exit path.
 */
import { spawn, execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { BROWSER_ARGS, findBrowser, NO_BROWSER_HINT } from "../../scripts/lib/browser.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const { values: args } = parseArgs({ options: { port: { type: "string", default: "8791" }, runs: { type: "string", default: "5" } } });
const PORT = Number(args.port);
const RUNS = Number(args.runs);
const BASE = `http://localhost:${PORT}`;
const STATE = join(ROOT, ".wrangler/bench-web");
const npx = join(ROOT, "node_modules/.bin");
// wrangler needs Node 22, which the `node` devDependency puts in node_modules/.bin.
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", PATH: `${npx}:${process.env.PATH ?? ""}` };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server;
function stop() {
  if (server && server.exitCode === null) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
  }
}
process.on("exit", stop);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(1));

async function startServer() {
  execFileSync("node", [join(ROOT, "scripts/build-web.mjs")], { stdio: "inherit", cwd: ROOT });
  rmSync(STATE, { recursive: true, force: true });
  execFileSync(join(npx, "wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE], { cwd: ROOT, env, stdio: "ignore" });
  server = spawn(join(npx, "wrangler"), ["dev", "--port", String(PORT), "--persist-to", STATE, "--show-interactive-dev-session=false"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: "ignore",
  });
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${BASE}/api/v1/health`)).ok) return;
    } catch {}
    await sleep(500);
  }
  throw new Error("wrangler dev did not start");
}

/** A user with 20 posts of ordinary length; returns its session cookie. */
async function seed() {
  const username = `bench_${Date.now().toString(36)}`;
  const res = await fetch(`${BASE}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: "correct horse battery", displayName: "Bench Reader" }),
  });
  const cookie = res.headers.get("set-cookie").split(";")[0];
  for (let i = 0; i < 20; i++) {
    await fetch(`${BASE}/api/v1/posts`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, "x-idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({ content: `Post ${i}: a typical update of about a tweet's length, with a few words about the day and a link-free sentence or two.` }),
    });
  }
  return { cookie, name: cookie.split("=")[0], value: cookie.split("=")[1] };
}

async function contextFor(browser, session) {
  const context = await browser.newContext();
  await context.addCookies([{ name: session.name, value: session.value, url: BASE }]);
  return context;
}

async function jsOnFirstLoad(browser, session) {
  const context = await contextFor(browser, session);
  const page = await context.newPage();
  const scripts = [];
  page.on("response", async (r) => {
    if (r.request().resourceType() === "script") scripts.push(r);
  });
  await page.goto(BASE, { waitUntil: "networkidle" });
  await page.waitForFunction(() => navigator.serviceWorker?.controller, undefined, { timeout: 10_000 }).catch(() => {});
  const files = [];
  for (const r of scripts) {
    const body = await r.body();
    const sizes = await r.request().sizes();
    files.push({ url: new URL(r.url()).pathname, raw: body.length, gzip: gzipSync(body, { level: 9 }).length, wire: sizes.responseBodySize, encoding: r.headers()["content-encoding"] ?? "none" });
  }
  const sw = Buffer.from(await (await fetch(`${BASE}/sw.js`)).arrayBuffer());
  await context.close();
  return { files, total: files.reduce((n, f) => n + f.gzip, 0), sw: gzipSync(sw, { level: 9 }).length };
}

async function firstPostOnSlowLink(browser, session, cpu) {
  const context = await contextFor(browser, session);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 400, downloadThroughput: 51_200, uploadThroughput: 51_200 });
  if (cpu > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpu });
  await page.addInitScript(() => {
    window.__firstPost = new Promise((resolve) =>
      new PerformanceObserver((list) => {
        const e = list.getEntries()[0];
        if (e) resolve(e.renderTime || e.loadTime || e.startTime);
      }).observe({ type: "element", buffered: true }),
    );
  });
  await page.goto(BASE, { waitUntil: "commit" });
  const ms = await page.evaluate(() => window.__firstPost);
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
  await context.close();
  return { ms, fcp };
}

/** From the click to the first frame after the DOM shows the result. */
async function ownActions(browser, session) {
  const context = await contextFor(browser, session);
  const page = await context.newPage();
  await page.goto(BASE);
  await page.waitForSelector('[data-testid="connection-status"][data-state="live"]');
  const likes = [];
  for (let i = 0; i < 9; i++) {
    likes.push(
      await page.evaluate(
        () =>
          new Promise((resolve) => {
            const button = document.querySelector('[data-testid="like-button"]');
            const want = button.getAttribute("aria-pressed") === "true" ? "false" : "true";
            const t0 = performance.now();
            new MutationObserver((_, mo) => {
              if (document.querySelector('[data-testid="like-button"]').getAttribute("aria-pressed") !== want) return;
              mo.disconnect();
              requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
            }).observe(document.getElementById("app"), { attributes: true, subtree: true, attributeFilter: ["aria-pressed"] });
            button.click();
          }),
      ),
    );
    await page.waitForTimeout(150); // let the request finish before the next toggle
  }
  const posts = [];
  for (let i = 0; i < 5; i++) {
    const text = `bench post ${i} ${Date.now()}`;
    await page.fill('[data-testid="composer-input"]', text);
    posts.push(
      await page.evaluate(
        (text) =>
          new Promise((resolve) => {
            const t0 = performance.now();
            const shown = () => [...document.querySelectorAll('[data-testid="post-card"] .content')].some((p) => p.textContent === text);
            new MutationObserver((_, mo) => {
              if (!shown()) return;
              mo.disconnect();
              requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
            }).observe(document.getElementById("app"), { childList: true, subtree: true, characterData: true });
            document.querySelector('[data-testid="post-button"]').click();
          }),
        text,
      ),
    );
    await page.waitForFunction((text) => [...document.querySelectorAll('[data-testid="post-card"]')].some((c) => c.textContent.includes(text) && !c.getAttribute("data-post-id").startsWith("tmp_")), text);
  }
  await context.close();
  return { like: median(likes), likeMax: Math.max(...likes), post: median(posts), postMax: Math.max(...posts) };
}

async function main() {
  const found = findBrowser(); // before the server: no browser, no point starting it
  if (!found) throw new Error(NO_BROWSER_HINT);
  await startServer();
  const session = await seed();
  const browser = await chromium.launch({ executablePath: found.path, args: BROWSER_ARGS });
  try {
    const js = await jsOnFirstLoad(browser, session);
    const slow = [];
    const slowCpu = [];
    for (let i = 0; i < RUNS; i++) slow.push(await firstPostOnSlowLink(browser, session, 1));
    for (let i = 0; i < RUNS; i++) slowCpu.push(await firstPostOnSlowLink(browser, session, 4));
    const own = await ownActions(browser, session);
    const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
    console.log("\nweb budgets (local wrangler dev, Chromium)");
    for (const f of js.files)
      console.log(`  script ${f.url.padEnd(14)} ${kb(f.raw)} raw, ${kb(f.gzip)} gzip -9 (${f.gzip} B); on the wire ${f.wire} B (${f.encoding})`);
    console.log(`  JS on first load (page scripts), gzip     ${kb(js.total)} (${js.total} B)   budget 30 KB`);
    console.log(`  + service worker fetched after load, gzip ${kb(js.sw)} (${js.sw} B)`);
    console.log(`  first post visible, 400 Kbps / 400 ms      median ${Math.round(median(slow.map((s) => s.ms)))} ms (runs: ${slow.map((s) => Math.round(s.ms)).join(", ")}; FCP ${Math.round(median(slow.map((s) => s.fcp)))} ms)   budget 1500 ms`);
    console.log(`  ... with 4x CPU throttling                 median ${Math.round(median(slowCpu.map((s) => s.ms)))} ms (runs: ${slowCpu.map((s) => Math.round(s.ms)).join(", ")})`);
    console.log(`  own like visible after click               median ${own.like.toFixed(1)} ms (max ${own.likeMax.toFixed(1)})   budget 50 ms`);
    console.log(`  own post visible after click               median ${own.post.toFixed(1)} ms (max ${own.postMax.toFixed(1)})   budget 50 ms`);
  } finally {
    await browser.close();
    stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
