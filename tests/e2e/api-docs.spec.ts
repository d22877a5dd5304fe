/**
 * /api/docs: Swagger UI renders the OpenAPI document, every operation listed, with nothing loaded
 * from another origin and no Content-Security-Policy violation (the page allows only 'self').
 */
import { expect, test } from "@playwright/test";

test("the API reference renders every documented operation from this origin only, within its CSP", async ({ page, baseURL, request }) => {
  const document = await (await request.get("/api/v1/openapi.json")).json();
  const operations = Object.values(document.paths as Record<string, object>).reduce((n, item) => n + Object.keys(item).length, 0);
  expect(operations).toBeGreaterThan(10);

  const origin = new URL(baseURL!).origin;
  const foreign: string[] = [];
  const problems: string[] = [];
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (url.protocol.startsWith("http") && url.origin !== origin) foreign.push(req.url());
  });
  page.on("console", (msg) => {
    if (msg.type() === "error" || /Content Security Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
  });
  page.on("pageerror", (error) => problems.push(String(error)));

  await page.goto("/api/docs");
  await expect(page.locator(".swagger-ui .info .title")).toContainText("edgefeed API");
  await expect(page.locator(".opblock")).toHaveCount(operations);
  await expect(page.locator(".opblock-summary-path", { hasText: "/api/v1/posts/{id}/comments" }).first()).toBeVisible();

  // Open one operation: its parameters, body schema and error codes are shown.
  await page.locator("#operations-posts-createPost .opblock-summary").click();
  const createPost = page.locator("#operations-posts-createPost");
  await expect(createPost).toContainText("X-Idempotency-Key");
  await expect(createPost).toContainText("EMPTY_POST");
  await expect(createPost.locator(".response[data-code='201']")).toBeVisible();

  expect(foreign, "requests to other origins").toEqual([]);
  expect(problems, "console errors or CSP violations").toEqual([]);
});
