import { expect, test } from "@playwright/test";
import { card, cards, createPost, follow, newUser, waitLive } from "./helpers";

test("a post by a followed user arrives live", async ({ browser }) => {
  const reader = await newUser(browser, "reader");
  const author = await newUser(browser, "author");
  await follow(reader.request, author.username);
  await reader.page.goto("/");
  await waitLive(reader.page);
  const text = `live from the author ${Date.now()}`;
  await createPost(author.request, text);
  await expect(card(reader.page, text)).toBeVisible({ timeout: 10_000 });
  await expect(cards(reader.page).first()).toContainText(text);
  await reader.context.close();
  await author.context.close();
});

test("new posts wait behind a banner while the reader is scrolled down", async ({ browser }) => {
  const reader = await newUser(browser, "scroller");
  const author = await newUser(browser, "busy");
  await Promise.all(Array.from({ length: 30 }, (_, i) => createPost(author.request, `older post number ${i}\nwith a second line`)));
  await follow(reader.request, author.username);
  const page = reader.page;
  await page.goto("/");
  await waitLive(page);
  await page.mouse.wheel(0, 2500);
  await page.waitForFunction(() => window.scrollY > 1500);
  const before = await cards(page).first().getAttribute("data-post-id");

  const text = `arrives while scrolled ${Date.now()}`;
  await createPost(author.request, text);
  const banner = page.getByTestId("new-posts-banner");
  await expect(banner).toHaveText(/1 new post/, { timeout: 10_000 });
  // Nothing moved: the same first rendered card, the same scroll position, the post not inserted.
  expect(await cards(page).first().getAttribute("data-post-id")).toBe(before);
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1500);
  await expect(card(page, text)).toHaveCount(0);

  await banner.click();
  await expect(banner).toHaveCount(0);
  await page.waitForFunction(() => window.scrollY < 50);
  await expect(cards(page).first()).toContainText(text);
  await reader.context.close();
  await author.context.close();
});

test("a profile shows its author's new posts live", async ({ browser }) => {
  const reader = await newUser(browser, "visitor");
  const author = await newUser(browser, "writer");
  await reader.page.goto(`/profile/${author.username}`);
  await waitLive(reader.page);
  // subscribe_feed goes out on open; give the server its answer before posting.
  const text = `fresh on my profile ${Date.now()}`;
  await expect(async () => {
    await createPost(author.request, `${text} ${Math.random()}`);
    await expect(card(reader.page, text).first()).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 15_000 });
  await reader.context.close();
  await author.context.close();
});

test("without a socket the feed polls /feed/updates", async ({ browser }) => {
  const reader = await newUser(browser, "poller");
  const author = await newUser(browser, "source");
  await follow(reader.request, author.username);
  // Refuse every socket: partysocket keeps retrying with its backoff, the page polls meanwhile.
  await reader.page.routeWebSocket("**/api/v1/ws", (ws) => ws.close({ code: 1011, reason: "test" }));
  const polled = reader.page.waitForRequest((r) => r.url().includes("/api/v1/feed/updates"), { timeout: 20_000 });
  await reader.page.goto("/");
  await expect(reader.page.getByTestId("connection-status")).toHaveAttribute("data-state", "online");
  const text = `picked up by polling ${Date.now()}`;
  await createPost(author.request, text);
  await polled;
  await expect(card(reader.page, text)).toBeVisible({ timeout: 25_000 });
  await reader.context.close();
  await author.context.close();
});

test("counts, edits and deletes made elsewhere update the card in place", async ({ browser }) => {
  const reader = await newUser(browser, "watcher");
  const author = await newUser(browser, "editor");
  const fan = await newUser(browser, "fan");
  await follow(reader.request, author.username);
  const text = `before the edit ${Date.now()}`;
  const post = await createPost(author.request, text);
  const doomed = await createPost(author.request, `to be deleted ${Date.now()}`);
  await reader.page.goto("/");
  await waitLive(reader.page);
  const target = reader.page.locator(`[data-post-id="${post.id}"]`);
  await expect(target).toBeVisible();

  expect((await fan.request.post(`/api/v1/posts/${post.id}/like`)).status()).toBe(200);
  await expect(target.getByTestId("like-count")).toHaveText("1", { timeout: 10_000 });

  const edited = `after the edit ${Date.now()}`;
  expect((await author.request.patch(`/api/v1/posts/${post.id}`, { data: { content: edited } })).status()).toBe(200);
  await expect(target.locator(".content")).toHaveText(edited, { timeout: 10_000 });

  expect((await author.request.delete(`/api/v1/posts/${doomed.id}`)).status()).toBe(200);
  await expect(reader.page.locator(`[data-post-id="${doomed.id}"]`)).toHaveCount(0, { timeout: 10_000 });
  for (const u of [reader, author, fan]) await u.context.close();
});

test("posts on screen outside the home feed are watched: their counts update live", async ({ browser }) => {
  const reader = await newUser(browser, "browser");
  const author = await newUser(browser, "stranger");
  const fan = await newUser(browser, "liker");
  const post = await createPost(author.request, `not in my feed ${Date.now()}`);
  // Not following: the post reaches this page only through the profile, so only watch_posts brings its counts.
  const watched = reader.page.waitForEvent("websocket").then((ws) =>
    ws.waitForEvent("framesent", { predicate: (f) => String(f.payload).includes('"watch_posts"') && String(f.payload).includes(post.id) }),
  );
  await reader.page.goto(`/profile/${author.username}`);
  await waitLive(reader.page);
  await watched;
  const target = reader.page.locator(`[data-post-id="${post.id}"]`);
  await expect(async () => {
    expect((await fan.request.post(`/api/v1/posts/${post.id}/like`)).status()).toBe(200);
    await expect(target.getByTestId("like-count")).toHaveText("1", { timeout: 3000 });
  }).toPass({ timeout: 15_000 });
  for (const u of [reader, author, fan]) await u.context.close();
});
