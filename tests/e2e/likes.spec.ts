import { expect, test } from "@playwright/test";
import { card, createPost, signup } from "./helpers";

test.use({ serviceWorkers: "block" });

test("a like is optimistic and rolls back when the request fails", async ({ page }) => {
  await signup(page.request, "liker");
  const text = `like me ${Date.now()}`;
  await createPost(page.request, text);
  await page.goto("/");
  const post = card(page, text);
  const like = post.getByTestId("like-button");
  await expect(like).toHaveAttribute("aria-pressed", "false");
  await expect(post.getByTestId("like-count")).toHaveText("0");

  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let calls = 0;
  await page.route("**/api/v1/posts/*/like", async (route) => {
    calls += 1;
    await held;
    await route.fulfill({ status: 404, json: { success: false, error: { code: "POST_NOT_FOUND", message: "Post not found" } } });
  });
  await like.click();
  // Optimistic: shown before the server answers.
  await expect(like).toHaveAttribute("aria-pressed", "true", { timeout: 500 });
  await expect(post.getByTestId("like-count")).toHaveText("1");
  release();
  // Rolled back, with an accessible message.
  await expect(like).toHaveAttribute("aria-pressed", "false");
  await expect(post.getByTestId("like-count")).toHaveText("0");
  await expect(page.getByRole("alert")).toContainText("Couldn't like the post");
  expect(calls).toBe(1);
});

test("a like and an unlike reach the server and survive a reload", async ({ page }) => {
  await signup(page.request, "liker2");
  const text = `like and keep ${Date.now()}`;
  await createPost(page.request, text);
  await page.goto("/");
  const like = card(page, text).getByTestId("like-button");
  const liked = page.waitForResponse((r) => r.url().includes("/like") && r.request().method() === "POST");
  await like.click();
  await expect(like).toHaveAttribute("aria-pressed", "true");
  await liked;
  await page.reload();
  await expect(card(page, text).getByTestId("like-button")).toHaveAttribute("aria-pressed", "true");
  await expect(card(page, text).getByTestId("like-count")).toHaveText("1");
  // Keyboard: focus the button and press Space to unlike.
  await card(page, text).getByTestId("like-button").focus();
  const unliked = page.waitForResponse((r) => r.url().includes("/like") && r.request().method() === "DELETE");
  await page.keyboard.press("Space");
  await expect(card(page, text).getByTestId("like-button")).toHaveAttribute("aria-pressed", "false");
  await unliked;
  await page.reload();
  await expect(card(page, text).getByTestId("like-count")).toHaveText("0");
});
