import { expect, test } from "@playwright/test";
import { card, cards, createPost, signup, waitLive } from "./helpers";

// Route interception must see the page's own requests, not the service worker's.
test.use({ serviceWorkers: "block" });

test("a post appears at once and is still there after a reload", async ({ page }) => {
  await signup(page.request, "poster");
  await page.goto("/");
  await waitLive(page);
  const text = `hello from the composer ${Date.now()}`;
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  // Hold the request: the post must be on screen before the server has answered.
  await page.route("**/api/v1/posts", async (route) => {
    await held;
    await route.continue();
  });
  await page.getByTestId("composer-input").fill(text);
  await page.getByTestId("post-button").click();
  await expect(card(page, text)).toBeVisible({ timeout: 1000 });
  await expect(page.getByTestId("composer-input")).toHaveValue("");
  release();
  await expect(card(page, text)).not.toHaveAttribute("data-post-id", /^tmp_/);
  await expect(card(page, text)).toHaveCount(1);
  await page.reload();
  await expect(card(page, text)).toHaveCount(1);
  await expect(cards(page).first()).toContainText(text);
});

test("a failed post is rolled back with a visible message and the text given back", async ({ page }) => {
  await signup(page.request, "failer");
  await page.goto("/");
  const text = `this one fails ${Date.now()}`;
  let calls = 0;
  await page.route("**/api/v1/posts", (route) => {
    calls += 1;
    return route.fulfill({ status: 429, json: { success: false, error: { code: "RATE_LIMITED", message: "Slow down." } } });
  });
  await page.getByTestId("composer-input").fill(text);
  await page.getByTestId("post-button").click();
  await expect(page.getByRole("alert").filter({ hasText: "wasn't published" })).toBeVisible();
  await expect(card(page, text)).toHaveCount(0);
  await expect(page.getByTestId("composer-input")).toHaveValue(text);
  expect(calls).toBe(1); // a 4xx is never retried
});

test("a post is retried on 5xx with the same idempotency key and published once", async ({ page }) => {
  await signup(page.request, "retrier");
  await page.goto("/");
  const text = `retried post ${Date.now()}`;
  const keys: string[] = [];
  await page.route("**/api/v1/posts", async (route) => {
    keys.push(route.request().headers()["x-idempotency-key"]);
    if (keys.length <= 2) return route.fulfill({ status: 503, json: { success: false, error: { code: "INTERNAL_ERROR", message: "down" } } });
    return route.continue();
  });
  await page.getByTestId("composer-input").fill(text);
  await page.getByTestId("post-button").click();
  await expect(card(page, text)).not.toHaveAttribute("data-post-id", /^tmp_/, { timeout: 15_000 });
  expect(keys.length).toBe(3);
  expect(new Set(keys).size).toBe(1);
  await page.reload();
  await expect(card(page, text)).toHaveCount(1);
});

test("post content is shown as text, never as HTML", async ({ page }) => {
  await signup(page.request, "xss");
  const evil = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b> ${Date.now()}`;
  await createPost(page.request, evil);
  await page.goto("/");
  const server = card(page, "<b>bold</b>");
  await expect(server).toHaveCount(1);
  await expect(server.locator(".content")).toHaveText(evil);
  expect(await server.locator("img, script, b").count()).toBe(0);
  // And through the client's own rendering (composer → optimistic card).
  const typed = `<svg onload="window.__xss=3"></svg><i>it</i> ${Date.now()}`;
  await page.getByTestId("composer-input").fill(typed);
  await page.getByTestId("post-button").click();
  await expect(card(page, "<i>it</i>").locator(".content")).toHaveText(typed);
  expect(await card(page, "<i>it</i>").locator("svg[onload], i").count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});

test("http(s) links in a post are links; nothing else a user writes becomes one", async ({ page }) => {
  await signup(page.request, "links");
  const text = `read https://example.com/a?b=1&c=2, then http://x.test. Not javascript:alert(1) nor <a href="https://evil.test">x</a> ${Date.now()}`;
  await createPost(page.request, text);
  await page.goto("/");
  const content = card(page, "read https://example.com/a").locator(".content");
  await expect(content).toHaveText(text);
  const links = content.locator("a");
  await expect(links).toHaveCount(3);
  expect(await links.evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.textContent, a.getAttribute("rel")]))).toEqual([
    ["https://example.com/a?b=1&c=2", "https://example.com/a?b=1&c=2", "noopener noreferrer nofollow ugc"],
    ["http://x.test", "http://x.test", "noopener noreferrer nofollow ugc"],
    ['https://evil.test', 'https://evil.test', "noopener noreferrer nofollow ugc"],
  ]);
  expect(await content.locator('a[href^="javascript"]').count()).toBe(0);
});

test("text typed into the composer before the script has loaded is kept and can be posted", async ({ page }) => {
  await signup(page.request, "early");
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route("**/home.js*", async (route) => {
    await held;
    await route.continue();
  });
  // A module script delays DOMContentLoaded, so wait only for the response: the HTML is there.
  await page.goto("/", { waitUntil: "commit" });
  const text = `typed before hydration ${Date.now()}`;
  await page.getByTestId("composer-input").fill(text);
  await expect(page.getByTestId("post-button")).toBeDisabled();
  release();
  await waitLive(page);
  await page.getByTestId("post-button").click();
  await expect(card(page, text)).toHaveCount(1);
  await expect(page.getByTestId("composer-input")).toHaveValue("");
});
