import { expect, test } from "@playwright/test";
import { card, cards, createPost, follow, inPool, newUser, signup, wholeFeed } from "./helpers";

test("the server-rendered HTML already holds the posts, and the client hydrates without refetching", async ({ page, playwright, baseURL }) => {
  await signup(page.request, "ssr");
  const text = `rendered at the edge <tag> & "quotes" ${Date.now()}`;
  await createPost(page.request, text);
  const res = await page.request.get("/");
  expect(res.status()).toBe(200);
  const html = await res.text();
  expect(html).toContain('data-testid="post-card"');
  expect(html).toMatch(/rendered at the edge &lt;tag(&gt;|>) &amp; (&quot;|")quotes(&quot;|")/);
  expect(html).not.toContain("<tag>");
  expect(html).toContain('<script id="ef-state" type="application/json">');
  // The embedded state can never close its script element.
  const state = html.split('<script id="ef-state" type="application/json">')[1].split("</script>")[0];
  expect(state).not.toContain("<");
  expect(JSON.parse(state).feed.posts[0].content).toBe(text);

  // Without a session, / redirects to /login.
  const anonymous = await playwright.request.newContext({ baseURL });
  const redirect = await anonymous.get("/", { maxRedirects: 0 });
  expect(redirect.status()).toBe(302);
  expect(redirect.headers()["location"]).toMatch(/\/login$/);
  await anonymous.dispose();

  const feedCalls: string[] = [];
  page.on("request", (r) => {
    if (/\/api\/v1\/feed(\?|$)/.test(r.url())) feedCalls.push(r.url());
  });
  await page.goto("/");
  await expect(card(page, "rendered at the edge")).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");
  expect(feedCalls).toEqual([]);
});

test("switching between ranked and latest", async ({ page }) => {
  const me = await signup(page.request, "modes");
  for (let i = 0; i < 6; i++) await createPost(page.request, `mode post ${i}`);
  const latest = (await wholeFeed(page.request, "latest")).map((p) => p.id);
  const ranked = (await wholeFeed(page.request, "ranked")).map((p) => p.id);
  await page.goto("/");
  const ids = () => cards(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-post-id")));
  await expect(page.getByTestId("mode-ranked")).toHaveAttribute("aria-pressed", "true");
  expect(await ids()).toEqual(ranked);

  await page.getByTestId("mode-latest").click();
  await expect(page.getByTestId("mode-latest")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("mode-ranked")).toHaveAttribute("aria-pressed", "false");
  await expect(page).toHaveURL(/mode=latest/);
  await expect.poll(ids).toEqual(latest);
  expect([...latest].sort().reverse()).toEqual(latest); // newest first

  await page.reload(); // the server renders the chosen mode
  await expect(page.getByTestId("mode-latest")).toHaveAttribute("aria-pressed", "true");
  expect(await ids()).toEqual(latest);

  await page.getByTestId("mode-ranked").click();
  await expect(page).not.toHaveURL(/mode=latest/);
  await expect.poll(ids).toEqual(ranked);
  expect(me.username).toBeTruthy();
});

test("comment flow: open, add (optimistic), count, still there after reload", async ({ page }) => {
  await signup(page.request, "commenter");
  const text = `talk about this ${Date.now()}`;
  await createPost(page.request, text);
  await page.goto("/");
  const post = card(page, text);
  const toggle = post.getByTestId("comment-toggle");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  const comment = `first! <b>${Date.now()}</b>`;
  const input = post.getByTestId("comment-input");
  await input.fill(comment);
  await input.press("Enter");
  await expect(post.getByTestId("comment")).toHaveCount(1, { timeout: 1000 });
  await expect(post.getByTestId("comment").locator(".content")).toHaveText(comment);
  await expect(post.getByTestId("comment-count")).toHaveText("1");
  await expect(input).toHaveValue("");
  await expect(post.getByTestId("comment")).not.toHaveClass(/sending/);

  await page.reload();
  const again = card(page, text);
  await expect(again.getByTestId("comment-count")).toHaveText("1");
  await again.getByTestId("comment-toggle").click();
  await expect(again.getByTestId("comment").locator(".content")).toHaveText(comment);
});

test("following from a profile page", async ({ browser }) => {
  const viewer = await newUser(browser, "fan");
  const star = await newUser(browser, "star");
  const friend = await newUser(browser, "mutual");
  // friend is a friend (mutual follow) of both: a mutual friend on the star's profile.
  for (const [a, b] of [
    [viewer, friend],
    [friend, viewer],
    [star, friend],
    [friend, star],
  ])
    await follow(a.request, b.username);
  const text = `a post by the star ${Date.now()}`;
  await createPost(star.request, text);
  const page = viewer.page;
  await page.goto(`/profile/${star.username}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(card(page, text)).toBeVisible();
  const button = page.getByTestId("follow-button");
  await expect(button).toHaveAttribute("aria-pressed", "false");
  await expect(button).toHaveText("Follow");
  await expect(page.getByTestId("follower-count")).toHaveText("1");
  await expect(page.getByTestId("mutual-friends")).toContainText(friend.username.slice(-4));
  const followed = page.waitForResponse((r) => r.url().endsWith("/follow") && r.request().method() === "POST");
  await button.click();
  await expect(button).toHaveAttribute("aria-pressed", "true");
  await expect(button).toHaveText("Following");
  await expect(page.getByTestId("follower-count")).toHaveText("2");
  expect((await followed).status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("follow-button")).toHaveAttribute("aria-pressed", "true");
  await page.goto("/");
  await expect(card(page, text)).toBeVisible();
  // No follow button on one's own profile.
  await page.goto(`/profile/${viewer.username}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByTestId("follow-button")).toHaveCount(0);
  for (const u of [viewer, star, friend]) await u.context.close();
});

test("the DOM holds a bounded number of cards while scrolling through 500 posts", async ({ page }) => {
  test.setTimeout(180_000);
  await signup(page.request, "many");
  const total = 500;
  await inPool(total, 12, (i) => createPost(page.request, `bulk post ${i}`));
  await page.goto("/?mode=latest");
  const seen = new Set<string>();
  let most = 0;
  for (let step = 0; step < 800; step++) {
    const ids = await cards(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-post-id")!));
    ids.forEach((id) => seen.add(id));
    most = Math.max(most, ids.length);
    expect(ids.length).toBeLessThanOrEqual(40);
    if (seen.size >= total) break;
    await page.mouse.wheel(0, 1200);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  expect(seen.size).toBe(total);
  expect(most).toBeGreaterThan(3);
  await expect(page.getByText("You're all caught up.")).toBeVisible();
});

test("sharing puts the share on top and counts it on the original", async ({ page }) => {
  await signup(page.request, "sharer");
  const text = `worth sharing ${Date.now()}`;
  await createPost(page.request, text);
  await page.goto("/");
  const original = card(page, text).filter({ hasNot: page.locator(".quoted") });
  await original.getByTestId("share-button").click();
  await expect(original.getByTestId("share-count")).toHaveText("1", { timeout: 1000 });
  const share = cards(page).first();
  await expect(share.locator(".quoted")).toContainText(text);
  await page.reload();
  await expect(cards(page).filter({ has: page.locator(".quoted") })).toHaveCount(1);
  await expect(card(page, text).filter({ hasNot: page.locator(".quoted") }).getByTestId("share-count")).toHaveText("1");
});

test("a share made far down the feed does not move what the reader is looking at", async ({ page }) => {
  await signup(page.request, "anchor");
  await inPool(30, 6, (i) => createPost(page.request, `anchored post ${i}\nsecond line`));
  await page.goto("/?mode=latest");
  await page.mouse.wheel(0, 2000);
  await page.waitForFunction(() => window.scrollY > 1500);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  // The first card whose top is inside the viewport.
  const id = await cards(page).evaluateAll((els) => els.find((e) => e.getBoundingClientRect().top > 60)!.getAttribute("data-post-id"));
  const target = page.locator(`[data-post-id="${id}"]`);
  const before = (await target.boundingBox())!.y;
  const position = Number(await target.getAttribute("aria-posinset"));
  await target.getByTestId("share-button").click();
  await expect(target.getByTestId("share-count")).toHaveText("1");
  // The share went in above it...
  await expect(target).toHaveAttribute("aria-posinset", String(position + 1));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const after = (await target.boundingBox())!.y;
  expect(Math.abs(after - before)).toBeLessThan(4);
  // The share is on top.
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(cards(page).first().locator(".quoted")).toBeVisible();
});
