/**
 * Settings, as a person uses it: a new password signs out the other devices (their open tab is
 * sent to sign-in), sign out everywhere, and deleting the account (asks for the password and a
 * confirmation; afterwards the account is gone for everyone).
 */
import { expect, test } from "@playwright/test";
import { createPost, newUser, PASSWORD, waitLive } from "./helpers";

test("a new password signs out the other devices; the account can then be deleted for good", async ({ browser }) => {
  const me = await newUser(browser, "owner");
  const post = await createPost(me.request, `my words ${Date.now()}`);
  // Another device, signed in with the old password, with the feed open.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  expect((await other.request.post("/api/v1/auth/login", { data: { username: me.username, password: PASSWORD } })).status()).toBe(200);
  await otherPage.goto("/");
  await waitLive(otherPage);

  const p = me.page;
  await p.goto("/settings");
  await p.getByTestId("pw-current").fill("not my password");
  await p.getByTestId("pw-new").fill("a brand new secret");
  await p.getByTestId("pw-again").fill("a brand new secret");
  await p.getByTestId("pw-save").click();
  await expect(p.getByTestId("pw-result")).toHaveText("That is not your current password.");
  await p.getByTestId("pw-current").fill(PASSWORD);
  await p.getByTestId("pw-new").fill("a brand new secret");
  await p.getByTestId("pw-again").fill("a brand new secret");
  await p.getByTestId("pw-save").click();
  await expect(p.getByTestId("pw-result")).toContainText("Password changed");
  // The other device's socket is closed (4001) and its tab reloads into the sign-in page.
  await otherPage.waitForURL("**/login", { timeout: 15_000 });

  // Delete: the box must be ticked, the password must be right.
  await p.getByTestId("delete-password").fill("a brand new secret");
  await p.getByTestId("delete-account").click();
  await expect(p.getByTestId("delete-result")).toHaveText("Tick the box to confirm.");
  await p.getByTestId("delete-sure").check();
  await p.getByTestId("delete-password").fill(PASSWORD); // the old one
  await p.getByTestId("delete-account").click();
  await expect(p.getByTestId("delete-result")).toHaveText("That password isn't right.");
  await p.getByTestId("delete-password").fill("a brand new secret");
  await p.getByTestId("delete-account").click();
  await p.waitForURL("**/login");

  const stranger = await newUser(browser, "stranger");
  expect((await stranger.request.get(`/api/v1/users/${me.username}`)).status()).toBe(404);
  expect((await stranger.request.get(`/api/v1/posts/${post.id}`)).status()).toBe(404);
  expect((await stranger.request.post("/api/v1/auth/login", { data: { username: me.username, password: "a brand new secret" } })).status()).toBe(401);
  await Promise.all([me.context.close(), other.close(), stranger.context.close()]);
});

test("sign out everywhere ends this session and the others", async ({ browser }) => {
  const me = await newUser(browser, "leaver");
  const other = await browser.newContext();
  expect((await other.request.post("/api/v1/auth/login", { data: { username: me.username, password: PASSWORD } })).status()).toBe(200);
  await me.page.goto("/settings");
  await me.page.getByTestId("logout-everywhere").click();
  await me.page.waitForURL("**/login");
  expect((await other.request.get("/api/v1/auth/me")).status()).toBe(401);
  expect((await me.request.get("/api/v1/auth/me")).status()).toBe(401);
  await Promise.all([me.context.close(), other.close()]);
});
