/**
 * Photos in Chromium against wrangler dev (real R2 in miniflare): a real JPEG from a fixture file
 * (GPS in its EXIF) uploaded from the composer, seen in a follower's feed with its alt text and
 * without its GPS; the viewer with the keyboard; drop, paste, remove and the limit of 4; a
 * friends-only image 404 to a stranger; a post with photos through the offline outbox; the
 * client's shrink of a 12 MP photo and the upload time of a 1 MB image (printed: the README's numbers).
 */
import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import type { Media } from "../../schema/api";
import { card, cards, createPost, follow, newUser, waitLive, wholeFeed } from "./helpers";

/** Relative to the repository root, where Playwright runs. */
const FIXTURE = "tests/fixtures/photo-gps.jpg";
const LEAKS = ["GPS", "PhoneCo", "48.8584", "xmpmeta", "SECONDARY", "private comment"];

async function apiUpload(request: APIRequestContext, bytes: ReturnType<typeof readFileSync>, type = "image/jpeg"): Promise<Media> {
  const res = await request.post("/api/v1/media", { data: bytes, headers: { "content-type": type } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).data.media;
}

/** Drops (or pastes) files made in the page onto the composer, as a user dragging them from the desktop would. */
async function giveFiles(page: Page, how: "drop" | "paste", files: { name: string; type: string; base64: string }[]) {
  await page.evaluate(
    ({ how, files }) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
      if (how === "paste") document.getElementById("composer")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
      else {
        const form = document.querySelector("form.composer")!;
        form.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
        form.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    },
    { how, files },
  );
}

const fixtureFile = () => ({ name: "photo.jpg", type: "image/jpeg", base64: readFileSync(FIXTURE).toString("base64") });

test("a photo from a file reaches a follower's feed with its alt text, upright, and without its GPS", async ({ browser }) => {
  const author = await newUser(browser, "shooter");
  const reader = await newUser(browser, "viewer");
  await follow(reader.request, author.username);
  await reader.page.goto("/");
  await waitLive(reader.page);

  const page = author.page;
  await page.goto("/");
  await waitLive(page);
  const lazyLoads: string[] = [];
  page.on("request", (r) => r.url().endsWith("/media.js") && lazyLoads.push(r.url()));
  await page.getByTestId("photo-input").setInputFiles(FIXTURE);
  const attachment = page.getByTestId("attachment");
  await expect(attachment).toHaveAttribute("data-status", "done");
  expect(lazyLoads).toHaveLength(1); // the upload code came when the composer asked for it
  await expect(page.getByTestId("alt-reminder")).toBeVisible();
  const alt = `The Eiffel Tower at dusk ${Date.now()}`;
  await page.getByTestId("alt-input").fill(alt);
  await expect(page.getByTestId("alt-reminder")).toHaveCount(0);
  await page.getByTestId("composer-input").fill("From the top");
  await page.getByTestId("post-button").click();
  await expect(page.getByTestId("attachment")).toHaveCount(0);
  await expect(card(page, "From the top").getByRole("img", { name: alt })).toBeVisible();

  // The follower gets it live, with the alt text, the box sized before the bytes came, upright.
  const theirs = card(reader.page, "From the top");
  await expect(theirs).toBeVisible({ timeout: 10_000 });
  const img = theirs.getByTestId("post-image");
  await expect(img).toHaveAttribute("alt", alt);
  await expect(img).toHaveAttribute("width", "480");
  await expect(img).toHaveAttribute("height", "640");
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(480);
  expect(await img.evaluate((el: HTMLImageElement) => el.naturalHeight)).toBe(640); // EXIF orientation 6 kept, nothing else
  const src = (await img.getAttribute("src"))!;
  const served = await reader.request.get(src);
  expect(served.headers()["cache-control"]).toBe("public, max-age=86400");
  const bytes = (await served.body()).toString("latin1");
  expect(LEAKS.filter((s) => bytes.includes(s))).toEqual([]);
  expect(readFileSync(FIXTURE).toString("latin1")).toContain("48.8584");

  // The viewer: opens on click with the alt text, Escape closes, focus goes back to the image.
  await img.click();
  const viewer = reader.page.getByTestId("image-viewer");
  await expect(viewer).toBeVisible();
  await expect(reader.page.getByTestId("viewer-alt")).toHaveText(alt);
  await reader.page.keyboard.press("Escape");
  await expect(viewer).toHaveCount(0);
  await expect(theirs.locator("button.shot")).toBeFocused();
  await author.context.close();
  await reader.context.close();
});

test("the viewer moves with the arrow keys and says when an image has no description", async ({ browser }) => {
  const me = await newUser(browser, "album");
  const photo = readFileSync(FIXTURE);
  const media = [await apiUpload(me.request, photo), await apiUpload(me.request, photo), await apiUpload(me.request, photo)];
  await createPost(me.request, "three of them", { media: [{ id: media[0].id, alt: "first" }, { id: media[1].id }, { id: media[2].id, alt: "third" }] });
  await me.page.goto("/");
  const post = card(me.page, "three of them");
  const images = post.getByTestId("post-image");
  await expect(images).toHaveCount(3);
  for (const i of [0, 1, 2]) await expect(images.nth(i)).toHaveAttribute("alt", ["first", "", "third"][i]);
  await expect(post.locator("button.shot").nth(1)).toHaveAttribute("aria-label", /no description/);
  await images.first().click();
  const alt = me.page.getByTestId("viewer-alt");
  await expect(alt).toHaveText("first");
  await me.page.keyboard.press("ArrowRight");
  await expect(alt).toHaveText(/No description/);
  await me.page.keyboard.press("ArrowRight");
  await expect(alt).toHaveText("third");
  await me.page.keyboard.press("ArrowRight"); // the last one stays
  await expect(alt).toHaveText("third");
  await me.page.keyboard.press("ArrowLeft");
  await me.page.keyboard.press("ArrowLeft");
  await expect(alt).toHaveText("first");
  await me.page.getByTestId("viewer-close").click();
  await expect(me.page.getByTestId("image-viewer")).toHaveCount(0);
  await me.context.close();
});

test("images take their boxes before they load: no layout shift, lazy below the fold", async ({ browser }) => {
  const me = await newUser(browser, "noshift");
  const photo = readFileSync(FIXTURE);
  for (let i = 0; i < 6; i++) {
    const media = await apiUpload(me.request, photo);
    await createPost(me.request, `picture post ${i}\nwith a line of text`, { media: [{ id: media.id, alt: `picture ${i}` }] });
  }
  // Slow images: the page lays out long before any arrives.
  await me.page.route("**/media/*", async (route) => {
    await new Promise((r) => setTimeout(r, 600));
    await route.continue();
  });
  await me.page.addInitScript(() => {
    const w = window as unknown as { cls: number };
    w.cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!entry.hadRecentInput) w.cls += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  await me.page.goto("/");
  const images = me.page.getByTestId("post-image");
  await expect(images).toHaveCount(6, { timeout: 10_000 }).catch(() => {}); // the virtualized feed may hold fewer
  expect(await images.first().getAttribute("loading")).toBe("eager");
  expect(await images.last().getAttribute("loading")).toBe("lazy");
  await expect.poll(() => images.first().evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  await me.page.mouse.wheel(0, 4000);
  await expect.poll(() => images.last().evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
  await me.page.waitForTimeout(300);
  expect(await me.page.evaluate(() => (window as unknown as { cls: number }).cls)).toBe(0);
  await me.context.close();
});

test("drop and paste add photos, remove takes one out, and a post holds at most 4", async ({ browser }) => {
  const me = await newUser(browser, "dropper");
  await me.page.goto("/");
  await waitLive(me.page);
  await giveFiles(me.page, "drop", [fixtureFile(), fixtureFile()]);
  await giveFiles(me.page, "paste", [fixtureFile()]);
  const attachments = me.page.getByTestId("attachment");
  await expect(attachments).toHaveCount(3);
  await giveFiles(me.page, "drop", [fixtureFile(), fixtureFile()]);
  await expect(attachments).toHaveCount(4);
  await expect(me.page.getByTestId("error-message")).toContainText("up to 4 images");
  await expect(me.page.getByTestId("photo-button")).toBeDisabled();
  for (let i = 0; i < 4; i++) await expect(attachments.nth(i)).toHaveAttribute("data-status", "done");
  await me.page.getByTestId("remove-attachment").nth(1).click();
  await expect(attachments).toHaveCount(3);
  await me.page.getByTestId("post-button").click();
  await expect(cards(me.page).first().getByTestId("post-image")).toHaveCount(3);
  await expect(cards(me.page).first()).not.toHaveAttribute("data-post-id", /^tmp_/);
  const [post] = await wholeFeed(me.request);
  expect(post.media).toHaveLength(3);
  await me.context.close();
});

test("a friends-only image: a friend sees it, a stranger gets 404", async ({ browser }) => {
  const author = await newUser(browser, "private");
  const friend = await newUser(browser, "friend");
  const stranger = await newUser(browser, "stranger");
  await follow(author.request, friend.username);
  await follow(friend.request, author.username);
  await author.page.goto("/");
  await waitLive(author.page);
  await author.page.getByTestId("photo-input").setInputFiles(FIXTURE);
  await expect(author.page.getByTestId("attachment")).toHaveAttribute("data-status", "done");
  await author.page.getByTestId("alt-input").fill("only for friends");
  await author.page.getByTestId("composer-privacy").selectOption("friends");
  await author.page.getByTestId("composer-input").fill("friends only photo");
  await author.page.getByTestId("post-button").click();
  await expect(card(author.page, "friends only photo")).not.toHaveAttribute("data-post-id", /^tmp_/);
  const src = (await card(author.page, "friends only photo").getByTestId("post-image").getAttribute("src"))!;

  await friend.page.goto("/");
  await expect(card(friend.page, "friends only photo").getByRole("img", { name: "only for friends" })).toBeVisible();
  const ok = await friend.request.get(src);
  expect(ok.status()).toBe(200);
  expect(ok.headers()["cache-control"]).toBe("private, no-cache");
  const refused = await stranger.request.get(src);
  expect(refused.status()).toBe(404);
  // In a browser tab too: the stranger's page gets nothing but the 404.
  const tab = await stranger.page.goto(src);
  expect(tab!.status()).toBe(404);
  for (const c of [author, friend, stranger]) await c.context.close();
});

test("a post with photos keeps them through the offline outbox; a failed upload can be tried again", async ({ browser }) => {
  const me = await newUser(browser, "traveller");
  const page = me.page;
  await page.goto("/");
  await waitLive(page);
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout: 15_000 });
  // The photo code is fetched when the pointer reaches the button (so it is there offline too).
  const lazy = page.waitForResponse((r) => r.url().endsWith("/media.js"));
  await page.getByTestId("photo-button").hover();
  await lazy;
  // An upload that cannot reach the server shows "Try again" (bytes are not queued offline)...
  await me.context.setOffline(true);
  await page.getByTestId("photo-input").setInputFiles(FIXTURE);
  const attachment = page.getByTestId("attachment");
  await expect(attachment).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  await expect(page.getByTestId("post-button")).toBeDisabled();
  // ...and succeeds with the same key once the network is back.
  await me.context.setOffline(false);
  await attachment.getByRole("button", { name: "Try again" }).click();
  await expect(attachment).toHaveAttribute("data-status", "done");
  await page.getByTestId("alt-input").fill("written offline");

  await me.context.setOffline(true);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "offline");
  await page.getByTestId("composer-input").fill("posted from a tunnel");
  await page.getByTestId("post-button").click();
  const queued = card(page, "posted from a tunnel");
  await expect(queued.getByTestId("post-status")).toContainText("when you're back online");
  await expect(queued.getByTestId("post-image")).toHaveAttribute("alt", "written offline");
  await page.reload();
  await expect(card(page, "posted from a tunnel").getByTestId("post-image")).toHaveAttribute("alt", "written offline");

  await me.context.setOffline(false);
  await expect(card(page, "posted from a tunnel")).not.toHaveAttribute("data-post-id", /^tmp_/, { timeout: 20_000 });
  const published = (await wholeFeed(me.request)).filter((p) => p.content === "posted from a tunnel");
  expect(published).toHaveLength(1);
  expect(published[0].media).toMatchObject([{ alt: "written offline", width: 480, height: 640 }]);
  await me.context.close();
});

test("measure: a 12 MP photo is shrunk to 2,048 px before upload; a 1 MB upload's p50", async ({ browser }) => {
  test.setTimeout(120_000);
  const me = await newUser(browser, "measurer");
  const page = me.page;
  await page.goto("/");
  await waitLive(page);
  // A 4000x3000 photo-like picture (a gradient, 3,000 soft shapes, sensor-like grain), encoded as a
  // camera would (JPEG q0.92): ~4 MB, like a 12 MP phone photo.
  const original = await page.evaluate(async () => {
    const c = new OffscreenCanvas(4000, 3000);
    const g = c.getContext("2d")!;
    const sky = g.createLinearGradient(0, 0, 0, 3000);
    sky.addColorStop(0, "#5b8def");
    sky.addColorStop(0.6, "#f5c98b");
    sky.addColorStop(1, "#3a5a40");
    g.fillStyle = sky;
    g.fillRect(0, 0, 4000, 3000);
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 3000; i++) {
      g.fillStyle = `hsla(${rand() * 360}, 40%, ${30 + rand() * 40}%, 0.6)`;
      g.beginPath();
      g.arc(rand() * 4000, rand() * 3000, 2 + rand() * 30, 0, 7);
      g.fill();
    }
    const grain = g.getImageData(0, 0, 4000, 3000);
    for (let i = 0; i < grain.data.length; i += 4) {
      const n = (rand() - 0.5) * 24;
      grain.data[i] += n;
      grain.data[i + 1] += n;
      grain.data[i + 2] += n;
    }
    g.putImageData(grain, 0, 0);
    const blob = await c.convertToBlob({ type: "image/jpeg", quality: 0.92 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { base64: btoa(s), size: bytes.length };
  });
  // What the client sends, exactly: the Blob handed to XMLHttpRequest.send.
  await page.evaluate(() => {
    const w = window as unknown as { sentBytes: number[] };
    w.sentBytes = [];
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: XMLHttpRequestBodyInit | null) {
      if (body instanceof Blob) w.sentBytes.push(body.size);
      return send.call(this, body);
    };
  });
  const uploadResponse = page.waitForResponse((r) => r.url().endsWith("/api/v1/media"));
  const started = Date.now();
  await giveFiles(page, "drop", [{ name: "IMG_0001.jpg", type: "image/jpeg", base64: original.base64 }]);
  const media = (await (await uploadResponse).json()).data.media as Media;
  const [sent] = await page.evaluate(() => (window as unknown as { sentBytes: number[] }).sentBytes);
  const stored = (await (await me.request.get(media.url)).body()).length;
  await expect(page.getByTestId("attachment")).toHaveAttribute("data-status", "done");
  const shrinkAndUploadMs = Date.now() - started;
  expect(original.size).toBeGreaterThan(3_000_000);
  expect([media.width, media.height]).toEqual([2048, 1536]);
  expect(sent).toBeLessThan(1024 * 1024);
  expect(Math.abs(stored - sent)).toBeLessThan(200); // what is stored is what was sent, less its container's metadata
  console.log(`MEASURE 12MP: original ${original.size} B (4000x3000 JPEG q0.92) -> uploaded ${sent} B (stored ${stored} B) ${media.mimeType} ${media.width}x${media.height}, shrink+upload ${shrinkAndUploadMs} ms`);

  // A 1 MB image straight to POST /api/v1/media, 15 times (no shrink): the upload's own cost.
  const times = await page.evaluate(async () => {
    // Random pixels (JPEG cannot compress them much), wider until the file passes 1 MB.
    let blob = new Blob();
    for (let width = 600; blob.size < 1_000_000; width += 50) {
      const c = new OffscreenCanvas(width, 600);
      const g = c.getContext("2d")!;
      const img = g.createImageData(width, 600);
      let seed = 11;
      for (let i = 0; i < img.data.length; i++) img.data[i] = i % 4 === 3 ? 255 : (seed = (seed * 16807) % 2147483647) & 255;
      g.putImageData(img, 0, 0);
      blob = await c.convertToBlob({ type: "image/jpeg", quality: 0.7 });
    }
    const out: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      const res = await fetch("/api/v1/media", { method: "POST", headers: { "content-type": "image/jpeg" }, body: blob });
      if (res.status !== 201) throw new Error(`upload ${res.status}`);
      out.push(performance.now() - t);
    }
    return { size: blob.size, out };
  });
  const sorted = [...times.out].sort((a, b) => a - b);
  const p50 = sorted[Math.floor(sorted.length / 2)];
  expect(times.size).toBeGreaterThanOrEqual(1_000_000);
  expect(times.size).toBeLessThan(1_150_000);
  console.log(`MEASURE 1MB: ${times.size} B JPEG x15, p50 ${p50.toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
  await me.context.close();
});
