/**
 * Conversations and notifications in Chromium: replying in a thread (keyboard only), liking,
 * editing and deleting comments, the unread badge updated live (and its latency), and the
 * notifications page (grouped wording, links, marked read when seen).
 */
import { expect, test, type APIRequestContext, type WebSocketRoute } from "@playwright/test";
import { card, createPost, newUser, waitLive } from "./helpers";

test.use({ serviceWorkers: "block" });

async function comment(request: APIRequestContext, postId: string, content: string, parentId?: string): Promise<{ id: string }> {
  const res = await request.post(`/api/v1/posts/${postId}/comments`, { data: { content, ...(parentId ? { parentId } : {}) }, headers: { "x-idempotency-key": crypto.randomUUID() } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).data.comment;
}

test("a reply, by keyboard only: it shows at once under the comment, counts, and is there after a reload on the post's page", async ({ browser }) => {
  const author = await newUser(browser, "host");
  const guest = await newUser(browser, "guest");
  const text = `what do you think ${Date.now()}`;
  const post = await createPost(author.request, text);
  await comment(guest.request, post.id, "I have thoughts");
  const { page } = author;
  await page.goto("/");
  const mine = card(page, text);
  await expect(mine.getByTestId("comment-count")).toHaveText("1");
  await mine.getByTestId("comment-toggle").focus();
  await page.keyboard.press("Enter");
  const first = mine.getByTestId("comment").first();
  await expect(first).toContainText("I have thoughts");
  await first.getByTestId("reply-button").focus();
  await page.keyboard.press("Enter");
  // The reply box takes the focus: type and press Enter.
  const reply = `Tell me more ${Date.now()}`;
  await expect(first.getByTestId("reply-input")).toBeFocused();
  await page.keyboard.type(reply);
  await page.keyboard.press("Enter");
  await expect(first.getByTestId("reply")).toHaveCount(1, { timeout: 1000 });
  await expect(first.getByTestId("reply").locator(".content")).toHaveText(reply);
  await expect(mine.getByTestId("comment-count")).toHaveText("2");
  await expect(first.getByTestId("reply")).not.toHaveClass(/sending/);

  // The card's timestamp is the post's own page: the thread is open there, reply included.
  await mine.locator("a.when").first().click();
  await expect(page).toHaveURL(new RegExp(`/post/${post.id}$`));
  await expect(page.getByTestId("reply").locator(".content")).toHaveText(reply);
  await expect(page.getByTestId("comment").first().locator(".content").first()).toHaveText("I have thoughts");
  await author.context.close();
  await guest.context.close();
});

test("like, edit and delete a comment: optimistic, with labels", async ({ browser }) => {
  const author = await newUser(browser, "editor");
  const text = `comment tools ${Date.now()}`;
  const post = await createPost(author.request, text);
  await comment(author.request, post.id, "typo hree");
  const { page } = author;
  await page.goto(`/post/${post.id}`);
  const c = page.getByTestId("comment").first();
  const like = c.getByTestId("comment-like");
  await expect(like).toHaveAttribute("aria-label", /Like .*'s comment, 0 likes/);
  await like.click();
  await expect(like).toHaveAttribute("aria-pressed", "true", { timeout: 500 });
  await expect(c.getByTestId("comment-like-count")).toHaveText("1");
  await c.getByTestId("edit-comment").click();
  const edit = c.getByTestId("edit-input");
  await expect(edit).toBeFocused();
  await edit.fill("typo here");
  await edit.press("Enter");
  await expect(c.locator(".content")).toHaveText("typo here");
  await expect(c).toContainText("edited");
  page.once("dialog", (d) => void d.accept());
  const deleted = page.waitForResponse((r) => r.url().includes("/api/v1/comments/") && r.request().method() === "DELETE");
  await c.getByTestId("delete-comment").click();
  await expect(page.getByTestId("comment")).toHaveCount(0);
  await expect(page.getByTestId("comment-count")).toHaveText("0");
  expect((await deleted).status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("comment")).toHaveCount(0);
  await author.context.close();
});

test("the unread badge follows likes live, on every page, and a reconnect catches up", async ({ browser }) => {
  const author = await newUser(browser, "badge");
  const fans = await Promise.all([newUser(browser, "fan1"), newUser(browser, "fan2")]);
  const post = await createPost(author.request, `badge me ${Date.now()}`);
  const { page } = author;
  await page.goto("/");
  await waitLive(page);
  const badge = page.getByTestId("unread-badge");
  await expect(badge).toHaveCount(0);
  const latencies: number[] = [];
  for (const [i, fan] of fans.entries()) {
    const sent = Date.now();
    const res = await fan.request.post(`/api/v1/posts/${post.id}/like`);
    expect(res.status()).toBe(200);
    // Both likes are one group: the badge counts groups, so it stays at 1; the bell's label says so.
    await expect(badge).toHaveText("1", { timeout: 2000 });
    if (i === 0) latencies.push(Date.now() - sent);
  }
  await expect(page.getByTestId("notifications-link")).toHaveAttribute("aria-label", "Notifications, 1 unread");
  // Undone, the group disappears and so does the badge.
  for (const fan of fans) await fan.request.delete(`/api/v1/posts/${post.id}/like`);
  await expect(badge).toHaveCount(0, { timeout: 2000 });

  // On a profile page too, and after the socket was down: the reconnect asks for the count. The
  // socket goes through a route that drops it and refuses to reconnect until the like is done, so
  // only the catch-up can bring the badge.
  let refuse = false;
  let live: { page: WebSocketRoute; server: WebSocketRoute } | undefined;
  await page.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
    if (refuse) return void ws.close({ code: 1011, reason: "down" });
    live = { page: ws, server: ws.connectToServer() };
  });
  await page.goto(`/profile/${author.username}`);
  await waitLive(page);
  refuse = true;
  live!.server.close();
  live!.page.close({ code: 1011, reason: "down" });
  await expect(page.getByTestId("connection-status")).not.toHaveAttribute("data-state", "live");
  await fans[0].request.post(`/api/v1/posts/${post.id}/like`);
  await expect(badge).toHaveCount(0);
  refuse = false;
  await expect(badge).toHaveText("1", { timeout: 20_000 });
  console.log(`E2E badge latency (like answered → badge shown): ${latencies.join(", ")} ms`);
  for (const u of [author, ...fans]) await u.context.close();
});

test("the notifications page: grouped wording, links to the post, marked read when seen", async ({ browser }) => {
  const author = await newUser(browser, "noted");
  const fans = await Promise.all([newUser(browser, "ada"), newUser(browser, "ben"), newUser(browser, "cy"), newUser(browser, "dee")]);
  const text = `notify me ${Date.now()}`;
  const post = await createPost(author.request, text);
  for (const fan of fans) await fan.request.post(`/api/v1/posts/${post.id}/like`);
  const c = await comment(fans[0].request, post.id, "great post");
  await fans[1].request.post(`/api/v1/users/${author.username}/follow`);
  const { page } = author;
  await page.goto("/");
  await expect(page.getByTestId("unread-badge")).toHaveText("3");
  await page.getByTestId("notifications-link").click();
  await expect(page).toHaveURL(/\/notifications$/);
  const items = page.getByTestId("notification");
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toHaveAttribute("data-kind", "follow");
  await expect(items.nth(1).getByTestId("notification-text")).toHaveText(/commented on your post/);
  await expect(items.nth(1)).toContainText("great post");
  const likes = items.nth(2);
  await expect(likes.getByTestId("notification-text")).toHaveText(/^DEE .+ and 3 others liked your post$/);
  await expect(likes).toHaveClass(/unread/);
  // Seen: the badge goes, and stays gone after a reload; the items are no longer unread there.
  await expect(page.getByTestId("unread-badge")).toHaveCount(0, { timeout: 5000 });
  await page.reload();
  await expect(page.getByTestId("unread-badge")).toHaveCount(0);
  await expect(page.getByTestId("notification").nth(2)).not.toHaveClass(/unread/);
  // A new one arrives live on the page, on top, and is read too.
  await fans[2].request.post(`/api/v1/posts/${post.id}/comments`, { data: { content: "late to the party" }, headers: { "x-idempotency-key": crypto.randomUUID() } });
  await waitLive(page);
  await expect(page.getByTestId("notification").first()).toContainText("late to the party", { timeout: 5000 });
  // Each links to its post (the comment's anchor) or the follower's profile.
  await page.getByTestId("notification").first().locator("a").click();
  await expect(page).toHaveURL(new RegExp(`/post/${post.id}#c-`));
  await expect(card(page, text)).toBeVisible();
  await expect(page.locator(`#c-${c.id}`)).toContainText("great post");
  for (const u of [author, ...fans]) await u.context.close();
});
