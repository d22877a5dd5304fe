/**
 * /api-docs/init.js: starts Swagger UI on /api/docs (worker/routes/openapi.ts) with the document
 * at /api/v1/openapi.json. Swagger UI itself is the swagger-ui-dist package's prebuilt bundle,
 * copied beside this file by scripts/build-web.mjs and loaded by that page only. This is a file,
 * not an inline script, so the page's CSP stays `script-src 'self'`.
 */
type SwaggerUI = ((options: Record<string, unknown>) => unknown) & { presets: { apis: unknown } };
const { SwaggerUIBundle } = globalThis as unknown as { SwaggerUIBundle: SwaggerUI };

SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#api-docs",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  deepLinking: true,
  docExpansion: "list",
  // No validator badge: it would send the document to a third-party service.
  validatorUrl: null,
  // Never take a document or config from the page's query string (?url=…, ?configUrl=…).
  queryConfigEnabled: false,
  // "Try it out" sends the page's own session cookie (same origin).
  withCredentials: true,
});
