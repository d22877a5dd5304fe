/**
 * Finding people and owning your account, as a person would: a new user signs up, finds people
 * through the search box (keyboard only) and through people you may know, follows, and sees a
 * full feed; edits and deletes a post (optimistic, rolled back on failure); blocks someone and no
 * longer sees them anywhere; undoes it in Settings.
 */
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { card, cards, createPost, follow, newUser, PASSWORD, uniqueName, waitLive } from "./helpers";

// Route interception must see the page's own requests, not the service worker's.
test.use({ serviceWorkers: "block" });

async function person(browser: Browser, prefix: string, displayName: string) {
  const u = await newUser(browser, prefix);
  const res = await u.request.patch("/api/v1/users/me", { data: { displayName } });
  expect(res.status(), await res.text()).toBe(200);
  return u;
}
const befriend = async (a: { request: APIRequestContext; username: string }, b: { request: APIRequestContext; username: string }) => {
  await follow(a.request, b.username);
  await follow(b.request, a.username);
};

test("a new user finds people through suggestions and search, follows them, and sees a full feed", async ({ page, browser }) => {
  const tag = Date.now().toString(36);
  const connector = await person(browser, "conn", `Connie ${tag}`); // no posts: following her alone leaves the feed empty
  const friendOfFriend = await person(browser, "fof", `Farah ${tag}`);
  await befriend(connector, friendOfFriend);
  for (let i = 0; i < 3; i++) await createPost(friendOfFriend.request, `farah writes ${i} ${tag}`);
  const searched = await person(browser, "zeb", `Zébulon Quaternion${tag}`);
  for (let i = 0; i < 2; i++) await createPost(searched.request, `zebulon writes ${i} ${tag}`);

  // Sign up through the page, as a person would.
  const username = uniqueName("newbie");
  await page.goto("/signup");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Display name").fill("New Person");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByTestId("welcome-suggestions")).toBeVisible(); // the first screen offers people

  // Search, keyboard only: type, arrow down, Enter.
  const box = page.getByRole("combobox", { name: "Search people" });
  const options = page.getByRole("listbox", { name: "People" }).getByRole("option");
  await box.focus();
  await page.keyboard.type(`connie ${tag}`);
  await expect(options.first()).toContainText(`Connie ${tag}`);
  await expect(box).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("ArrowDown");
  await expect(options.first()).toHaveAttribute("aria-selected", "true");
  await expect(box).toHaveAttribute("aria-activedescendant", "people-search-0");
  await page.keyboard.press("Enter");
  await page.waitForURL(`**/profile/${connector.username}`);
  // The button turns at once (optimistic); the page is left only once the server has the follow.
  const followed = page.waitForResponse((r) => r.url().includes(`/users/${connector.username}/follow`) && r.request().method() === "POST");
  await page.getByTestId("follow-button").click();
  await expect(page.getByTestId("follow-button")).toHaveAttribute("aria-pressed", "true");
  expect((await followed).status()).toBe(200);
  await follow(connector.request, username); // she follows back: friends

  // Home: still empty (she has not posted); her friend is suggested, with why; following fills the feed at once.
  await page.goto("/");
  const welcome = page.getByTestId("welcome-suggestions");
  const farah = welcome.getByTestId("person").filter({ hasText: `Farah ${tag}` });
  await expect(farah).toContainText("1 mutual friend");
  await expect(welcome.getByTestId("person").first()).toContainText(`Farah ${tag}`);
  await farah.getByTestId("row-follow").click();
  await expect(cards(page)).toHaveCount(3);
  await expect(card(page, `farah writes 2 ${tag}`)).toBeVisible();

  // Escape closes the list, then clears the box; a query that finds nobody says so.
  await box.fill(`zebulon quaternion${tag}`);
  await expect(options).toHaveCount(1);
  await page.keyboard.press("Escape");
  await expect(box).toHaveAttribute("aria-expanded", "false");
  await page.keyboard.press("Escape");
  await expect(box).toHaveValue("");
  await box.fill(`qqq${tag}nobody`);
  await expect(page.getByTestId("search-empty")).toHaveText("No one found.");
  await box.fill(`zébu`);
  await expect(options.filter({ hasText: `Zébulon Quaternion${tag}` })).toBeVisible();
  await options.filter({ hasText: `Zébulon Quaternion${tag}` }).click();
  await page.waitForURL(`**/profile/${searched.username}`);
  // The button turns at once (optimistic); the page is left only once the server has the follow.
  const followedZeb = page.waitForResponse((r) => r.url().includes(`/users/${searched.username}/follow`) && r.request().method() === "POST");
  await page.getByTestId("follow-button").click();
  await expect(page.getByTestId("follow-button")).toHaveAttribute("aria-pressed", "true");
  expect((await followedZeb).status()).toBe(200);
  await page.goto("/?mode=latest");
  await expect(cards(page)).toHaveCount(5);
  await expect(card(page, `zebulon writes 1 ${tag}`)).toBeVisible();
  await expect(card(page, `farah writes 0 ${tag}`)).toBeVisible();
});

test("edits and deletes one's own post: shown at once, rolled back on failure, the same after a reload", async ({ browser }) => {
  const me = await newUser(browser, "editor");
  const text = `a post to edit ${Date.now()}`;
  const created = await createPost(me.request, text);
  const p = me.page;
  await p.goto("/");
  await waitLive(p);
  const post = p.locator(`[data-post-id="${created.id}"]`); // its text changes on the way
  await post.getByTestId("post-menu").click();
  await post.getByTestId("post-edit").click();
  await post.getByTestId("edit-input").fill(`${text} (better)`);
  // Held: the new text and the marker are on screen before the server answers.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await p.route("**/api/v1/posts/*", async (route) => (route.request().method() === "PATCH" ? (await held, route.continue()) : route.continue()));
  await post.getByTestId("edit-save").click();
  await expect(post.getByTestId("edited")).toBeVisible({ timeout: 1000 });
  await expect(post.locator(".content")).toHaveText(`${text} (better)`);
  const saved = p.waitForResponse((r) => r.request().method() === "PATCH");
  release();
  expect((await saved).status()).toBe(200);
  await p.unroute("**/api/v1/posts/*");
  await p.reload();
  await expect(card(p, `${text} (better)`).getByTestId("edited")).toBeVisible();

  // A refused edit comes back to the old text, with a message.
  await p.route("**/api/v1/posts/*", (route) =>
    route.request().method() === "PATCH" ? route.fulfill({ status: 403, json: { success: false, error: { code: "FORBIDDEN", message: "no" } } }) : route.continue(),
  );
  await post.getByTestId("post-menu").click();
  await post.getByTestId("post-edit").click();
  await post.getByTestId("edit-input").fill("this will not stick");
  await post.getByTestId("edit-save").click();
  await expect(p.getByRole("alert")).toContainText("Your edit wasn't saved");
  await expect(post.locator(".content")).toHaveText(`${text} (better)`);
  await p.unroute("**/api/v1/posts/*");

  // Delete, refused first (the card comes back), then for real (gone after a reload too).
  await p.route("**/api/v1/posts/*", (route) =>
    route.request().method() === "DELETE" ? route.fulfill({ status: 429, json: { success: false, error: { code: "RATE_LIMITED", message: "slow" } } }) : route.continue(),
  );
  await post.getByTestId("post-menu").click();
  await post.getByTestId("post-delete").click();
  await expect(post.getByTestId("delete-confirm-button")).toBeFocused();
  await post.getByTestId("delete-confirm-button").click();
  await expect(p.getByRole("alert")).toContainText("Your post wasn't deleted");
  await expect(post).toBeVisible();
  await p.unroute("**/api/v1/posts/*");
  await post.getByTestId("post-menu").click();
  await post.getByTestId("post-delete").click();
  // The card goes at once; the reload waits for the server's answer (a reload would cancel the request).
  const deleted = p.waitForResponse((r) => r.request().method() === "DELETE" && r.url().includes("/api/v1/posts/"));
  await post.getByTestId("delete-confirm-button").click();
  await expect(post).toHaveCount(0);
  expect((await deleted).status()).toBe(200);
  await p.reload();
  await expect(card(p, text)).toHaveCount(0);
  await me.context.close();
});

test("blocking someone: they are gone from the feed, search and their profile; Settings undoes it", async ({ browser }) => {
  const tag = Date.now().toString(36);
  const me = await newUser(browser, "blocker");
  const pest = await person(browser, "pest", `Pestilent ${tag}`);
  await createPost(pest.request, `pest post ${tag}`);
  await befriend(me, pest); // the follow brings the post into my feed at once
  const p = me.page;
  await p.goto("/");
  await expect(card(p, `pest post ${tag}`)).toBeVisible();

  await p.goto(`/profile/${pest.username}`);
  await p.getByTestId("profile-menu").click();
  await p.getByTestId("block-button").click();
  await p.getByTestId("block-confirm-button").click();
  await expect(p.getByTestId("blocked-notice")).toBeVisible();

  await p.goto("/");
  await expect(card(p, `pest post ${tag}`)).toHaveCount(0);
  await p.getByRole("combobox", { name: "Search people" }).fill(`pestilent ${tag}`);
  await expect(p.getByTestId("search-empty")).toHaveText("No one found.");
  const profile = await p.goto(`/profile/${pest.username}`);
  expect(profile?.status()).toBe(404);
  // And they no longer see me either.
  expect((await pest.request.get(`/api/v1/users/${me.username}`)).status()).toBe(404);

  await p.goto("/settings");
  const blocks = p.getByTestId("blocks-list");
  await expect(blocks.getByTestId("person")).toContainText(`Pestilent ${tag}`);
  // The button turns at once (optimistic); the profile is opened once the server has the unblock.
  const unblocked = p.waitForResponse((r) => r.url().includes(`/users/${pest.username}/block`) && r.request().method() === "DELETE");
  await blocks.getByTestId("unblock").click();
  await expect(blocks.getByTestId("unblock")).toContainText("Block again");
  expect((await unblocked).status()).toBe(200);
  const back = await p.goto(`/profile/${pest.username}`);
  expect(back?.status()).toBe(200);
  await expect(p.getByTestId("follow-button")).toHaveAttribute("aria-pressed", "false"); // the follows stay ended
  await me.context.close();
  await pest.context.close();
});

test("a profile picture is uploaded from the editor, saved, and shown from /media/", async ({ browser }) => {
  const me = await newUser(browser, "pic");
  await me.page.goto(`/profile/${me.username}`);
  await me.page.getByTestId("edit-profile").click();
  // The upload is held back a moment: Save waits for it (saved before, the old picture would stay).
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await me.page.route("**/api/v1/media", async (route) => (await held, route.continue()));
  const upload = me.page.waitForResponse((r) => r.url().endsWith("/api/v1/media") && r.request().method() === "POST");
  await me.page.getByTestId("avatar-input").setInputFiles("tests/fixtures/photo-gps.jpg");
  await expect(me.page.getByTestId("edit-profile-save")).toBeDisabled();
  await expect(me.page.getByTestId("edit-profile-save")).toHaveText("Uploading…");
  release();
  expect((await upload).status()).toBe(201);
  await expect(me.page.getByTestId("edit-profile-save")).toBeEnabled();
  await expect(me.page.getByTestId("avatar-upload").locator("img")).toBeVisible();
  await expect(me.page.getByTestId("avatar-upload").locator("progress")).toHaveCount(0);
  await me.page.getByTestId("edit-profile-save").click();
  await expect(me.page.getByTestId("profile-editor")).toHaveCount(0);
  const res = await me.request.get(`/api/v1/users/${me.username}`);
  const avatarUrl: string = (await res.json()).data.user.avatarUrl;
  expect(avatarUrl).toMatch(/^\/media\//);
  // Public now: a signed-out request gets the bytes.
  const bytes = await me.request.get(avatarUrl, { headers: { cookie: "" } });
  expect(bytes.status()).toBe(200);
  await me.page.reload();
  await expect(me.page.locator(`img.avatar[src="${avatarUrl}"]`).first()).toBeVisible();
  await me.context.close();
});

test("the suggestions card in a feed loads only when the reader scrolls toward it, then offers a friend's friend", async ({ browser }) => {
  const tag = Date.now().toString(36);
  const reader = await person(browser, "scroller", `Scroller ${tag}`);
  const friend = await person(browser, "mid", `Mid ${tag}`);
  const friendOfFriend = await person(browser, "far", `Faraway ${tag}`);
  await befriend(reader, friend);
  await befriend(friend, friendOfFriend);
  for (let i = 0; i < 10; i++) await createPost(reader.request, `scroller writes ${i} ${tag}`);

  const page = reader.page;
  const scripts: string[] = [];
  page.on("request", (r) => r.resourceType() === "script" && scripts.push(new URL(r.url()).pathname));
  const asked: string[] = [];
  page.on("request", (r) => r.url().includes("/users/me/suggestions") && asked.push(r.url()));
  await page.goto("/");
  await expect(cards(page).first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  // Nothing of the card yet: no list asked for, and only the page's own scripts loaded.
  expect(asked).toEqual([]);
  const firstLoad = scripts.length;
  await expect(page.getByTestId("suggestions")).toHaveCount(0);

  // A first small scroll: the card's place (after the sixth post) is still a screen below.
  await page.mouse.wheel(0, 100);
  await expect.poll(() => asked.length).toBe(1);
  await page.getByTestId("suggestions").scrollIntoViewIfNeeded();
  const suggested = page.getByTestId("suggestions").getByTestId("person").filter({ hasText: `Faraway ${tag}` });
  await expect(suggested).toContainText("1 mutual friend");
  expect(scripts.length).toBeGreaterThan(firstLoad); // the card's code came with the scroll
});

test("what is typed into search before the page is interactive is searched once it is", async ({ browser }) => {
  const tag = Date.now().toString(36);
  await person(browser, "quill", `Quilla ${tag}`);
  const reader = await newUser(browser, "early");
  const page = reader.page;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/home.js", async (route) => (await held, route.continue()));
  await page.goto("/", { waitUntil: "commit" });
  const box = page.getByRole("combobox", { name: "Search people" });
  await box.fill(`quilla ${tag}`); // the server's markup: no script has run yet
  release();
  await expect(page.getByRole("listbox", { name: "People" }).getByRole("option").first()).toContainText(`Quilla ${tag}`);
});
