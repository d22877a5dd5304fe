import { expect, test } from "@playwright/test";
import { PASSWORD, uniqueName } from "./helpers";

test("sign up, log out, a wrong password is explained, sign in", async ({ page }) => {
  const username = uniqueName("person");
  await page.goto("/signup");
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill("short");
  await page.locator('button[type="submit"]').click();
  // The browser's own validation (minlength) or the API's WEAK_PASSWORD: either way no account yet.
  await expect(page).toHaveURL(/\/signup$/);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('button[type="submit"]').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("composer-input")).toBeVisible();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);

  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill("not the password");
  await page.locator('button[type="submit"]').click();
  await expect(page.getByTestId("auth-error")).toHaveText("Wrong username or password.");
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('button[type="submit"]').press("Enter");
  await expect(page).toHaveURL(/\/$/);
});

test("signing up with a taken username says so", async ({ page }) => {
  const username = uniqueName("taken");
  const res = await page.request.post("/api/v1/auth/signup", { data: { username, password: PASSWORD, displayName: "T" } });
  expect(res.status()).toBe(201);
  await page.context().clearCookies();
  await page.goto("/signup");
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('button[type="submit"]').click();
  await expect(page.getByTestId("auth-error")).toHaveText("That username is taken.");
});

test.describe("before the script has loaded (here: no script at all)", () => {
  test.use({ javaScriptEnabled: false });

  test("sign up, log out, a wrong password is explained, sign in: plain form posts, no password in any URL", async ({ page }) => {
    const username = uniqueName("nojs");
    const urls: string[] = [];
    page.on("request", (request) => urls.push(request.url()));
    await page.goto("/signup");
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId("composer-input")).toBeVisible();

    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);

    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill("not the password");
    await page.locator('button[type="submit"]').click();
    await expect(page.getByTestId("auth-error")).toHaveText("Wrong username or password.");
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId("composer-input")).toBeVisible();
    expect(urls.filter((url) => url.includes(encodeURIComponent(PASSWORD)) || url.includes("password="))).toEqual([]);
  });
});
