/**
 * The contract for programs and for people:
 * - GET /api/v1/openapi.json: the OpenAPI 3.1 document (worker/openapi/), bare (no envelope), to
 *   anyone, from any origin (it holds nothing private); cacheable, revalidated by ETag;
 * - GET /api/docs: Swagger UI (the swagger-ui-dist package) reading that document. Its script
 *   and styles are static assets copied by scripts/build-web.mjs into /api-docs/, loaded by this
 *   page only, from this origin only (the CSP allows nothing else).
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { openApiDocument } from "../openapi/document";
import type { AppEnv } from "../types";

let served: Promise<{ body: string; etag: string }> | undefined;
async function documentText() {
  const body = JSON.stringify(openApiDocument());
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  const etag = `"${[...new Uint8Array(digest)].slice(0, 16).map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
  return { body, etag };
}

export async function serveOpenApi(c: Context<AppEnv>): Promise<Response> {
  const { body, etag } = await (served ??= documentText());
  const headers = {
    ETag: etag,
    "Cache-Control": "public, max-age=300",
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
  };
  const wanted = c.req.header("if-none-match");
  if (wanted && wanted.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) return c.body(null, 304, headers);
  return c.body(body, 200, { ...headers, "Content-Type": "application/json; charset=UTF-8" });
}

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edgefeed API reference</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/api-docs/swagger-ui.css">
</head>
<body>
<noscript>The reference needs JavaScript; the document itself is <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript>
<div id="api-docs"></div>
<script src="/api-docs/swagger-ui-bundle.js"></script>
<script src="/api-docs/init.js"></script>
</body>
</html>
`;

export const apiDocsPageRoutes = new Hono<AppEnv>().get("/api/docs", (c) =>
  c.body(DOCS_PAGE, 200, {
    "Content-Type": "text/html; charset=UTF-8",
    "Cache-Control": "public, max-age=300",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    // Nothing inline, nothing from elsewhere: Swagger UI sets styles through the CSSOM, which
    // style-src 'self' allows (tests/e2e/api-docs.spec.ts fails on any CSP violation).
    "Content-Security-Policy":
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  }),
);
