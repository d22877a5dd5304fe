/** Shared steps for the browser tests: unique users made through the API, posts, follows. */
import { expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type { Post } from "../../schema/api";

let counter = 0;
/** A username no other test (or earlier run) uses: 3–30 of a-z0-9_. */
export function uniqueName(prefix = "u"): string {
  counter += 1;
  const rand = Math.random().toString(36).slice(2, 6);
  return `${prefix}_${Date.now().toString(36)}${rand}${counter}`.slice(0, 30);
}

export const PASSWORD = "correct horse battery";

/** Signs a new user up in `request`'s cookie jar (a page's context shares it). */
export async function signup(request: APIRequestContext, prefix = "u"): Promise<{ username: string; id: string }> {
  const username = uniqueName(prefix);
  const res = await request.post("/api/v1/auth/signup", { data: { username, password: PASSWORD, displayName: `${prefix.toUpperCase()} ${username.slice(-4)}` } });
  expect(res.status(), await res.text()).toBe(201);
  const body = await res.json();
  return { username, id: body.data.user.id };
}

/** POST /posts; a dropped connection is retried with the same idempotency key (so it posts once). */
export async function createPost(request: APIRequestContext, content: string, extra: Record<string, unknown> = {}): Promise<Post> {
  const key = crypto.randomUUID();
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await request.post("/api/v1/posts", { data: { content, ...extra }, headers: { "x-idempotency-key": key } });
      expect(res.status(), await res.text()).toBe(201);
      return (await res.json()).data.post;
    } catch (error) {
      if (attempt >= 3 || !/ECONNRESET|socket hang up|ECONNREFUSED/.test(String(error))) throw error;
    }
  }
}

/** Runs `task(0..n-1)` with at most `width` at a time. */
export async function inPool(n: number, width: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

export async function follow(request: APIRequestContext, username: string): Promise<void> {
  const res = await request.post(`/api/v1/users/${username}/follow`);
  expect(res.status(), await res.text()).toBe(200);
}

/** A fresh browser context with a signed-up user. */
export async function newUser(browser: Browser, prefix = "u", options: Parameters<Browser["newContext"]>[0] = {}) {
  const context: BrowserContext = await browser.newContext(options);
  const page: Page = await context.newPage();
  const user = await signup(context.request, prefix);
  return { context, page, request: context.request, ...user };
}

export const cards = (page: Page) => page.getByTestId("post-card");
export const card = (page: Page, text: string) => page.getByTestId("post-card").filter({ hasText: text });

/** Waits until the page has hydrated and its socket is open. */
export async function waitLive(page: Page): Promise<void> {
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live", { timeout: 15_000 });
}

/** Every post of the viewer's feed via the API, following the cursors. */
export async function wholeFeed(request: APIRequestContext, mode = "latest"): Promise<Post[]> {
  const out: Post[] = [];
  let cursor: string | null = null;
  for (;;) {
    const qs = new URLSearchParams({ mode, limit: "50" });
    if (cursor) qs.set("cursor", cursor);
    const res = await request.get(`/api/v1/feed?${qs}`);
    const body = await res.json();
    out.push(...body.data.posts);
    if (!body.data.pagination.hasMore) return out;
    cursor = body.data.pagination.nextCursor;
  }
}
