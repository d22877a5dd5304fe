import { expect, test, type Page } from "@playwright/test";
import { card, cards, createPost, signup, waitLive, wholeFeed } from "./helpers";

/** Waits until the service worker controls the page (it claims clients when it activates). */
async function controlled(page: Page) {
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout: 15_000 });
}

test("offline start shows the cached feed at once", async ({ page, context }) => {
  await signup(page.request, "cached");
  const texts = Array.from({ length: 3 }, (_, i) => `cached post ${i} ${Date.now()}`);
  for (const t of texts) await createPost(page.request, t);
  await page.goto("/");
  await waitLive(page);
  await controlled(page);
  await page.waitForFunction(() => (JSON.parse(localStorage.getItem("ef:feed:v1") || "null")?.posts?.length ?? 0) >= 3);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "offline");
  for (const t of texts) await expect(card(page, t)).toBeVisible();
  await expect(cards(page)).toHaveCount(3);

  // Back online: the shell loads the live feed.
  await context.setOffline(false);
  await expect(page.getByTestId("connection-status")).not.toHaveAttribute("data-state", "offline");
  await expect(cards(page)).toHaveCount(3);
});

test("a cache older than an hour is not shown", async ({ page, context }) => {
  await signup(page.request, "stale");
  await createPost(page.request, `stale post ${Date.now()}`);
  await page.goto("/");
  await controlled(page);
  await page.waitForFunction(() => !!localStorage.getItem("ef:feed:v1"));
  await page.evaluate(() => {
    const c = JSON.parse(localStorage.getItem("ef:feed:v1")!);
    c.savedAt = Date.now() - 61 * 60 * 1000;
    localStorage.setItem("ef:feed:v1", JSON.stringify(c));
  });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText("you're offline")).toBeVisible();
  await expect(cards(page)).toHaveCount(0);
  await context.setOffline(false);
});

test("a post written offline is sent once when the network returns", async ({ page, context }) => {
  await signup(page.request, "outbox");
  await page.goto("/");
  await waitLive(page);
  await controlled(page);
  await context.setOffline(true);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "offline");

  const text = `written on the train ${Date.now()}`;
  await page.getByTestId("composer-input").fill(text);
  await page.getByTestId("post-button").click();
  await expect(card(page, text)).toBeVisible();
  await expect(card(page, text).getByTestId("post-status")).toContainText("when you're back online");
  // Still queued after a reload while offline.
  await page.reload();
  await expect(card(page, text).getByTestId("post-status")).toContainText("when you're back online");

  await context.setOffline(false);
  await expect(card(page, text)).not.toHaveAttribute("data-post-id", /^tmp_/, { timeout: 20_000 });
  await expect(card(page, text)).toHaveCount(1);
  const published = (await wholeFeed(page.request)).filter((p) => p.content === text);
  expect(published).toHaveLength(1);
  // Nothing is sent again later (a second flush finds an empty outbox).
  await page.reload();
  await expect(card(page, text)).toHaveCount(1);
  expect((await wholeFeed(page.request)).filter((p) => p.content === text)).toHaveLength(1);
});
