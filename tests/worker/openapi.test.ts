/**
 * The contract as OpenAPI (issue 10, item 5): GET /api/v1/openapi.json is an OpenAPI 3.1
 * document generated from the zod schemas; it and the Hono app name the same public routes;
 * every response of every worker test is checked against it (tests/worker/contract.ts, hooked
 * into Client.request); /api/docs is a reference page served from this origin only.
 */
import { exports } from "cloudflare:workers";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { createPostBody, ERROR_CODES, feedQuery } from "../../schema/api";
import { postSchema } from "../../schema/responses";
import { app } from "../../worker/app";
import { openApiDocument } from "../../worker/openapi/document";
import { checkResponse, findOperation } from "./contract";
import { anonymous, BASE, keyed, signup } from "./helpers";

const doc = openApiDocument();
const METHODS = ["get", "put", "post", "patch", "delete"];

/** Routes the document leaves out: pages, forms, the docs page, admin and bench (API.md allows it). */
const isPublicApi = (path: string) => path.startsWith("/api/v1/") && !/^\/api\/v1\/(admin|bench)(\/|$)/.test(path);

function documentedRoutes(): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
}

/** The app's handlers (not middleware, which Hono lists as ALL), in OpenAPI path form. */
function appRoutes(): string[] {
  const routes = app.routes
    .filter((r) => r.method !== "ALL" && isPublicApi(r.path))
    .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`);
  return [...new Set(routes)];
}

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) key === "$ref" && typeof v === "string" ? out.push(v) : refsIn(v, out);
  }
  return out;
}

const pointer = (ref: string) =>
  ref
    .slice(2)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<any>((node, key) => node?.[key], doc);

describe("GET /api/v1/openapi.json", () => {
  it("answers anyone with the bare document, cacheable and revalidated by ETag", async () => {
    const res = await anonymous().get("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body).not.toHaveProperty("success");
    expect(res.body).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);

    const again = await anonymous().get("/api/v1/openapi.json", { "If-None-Match": `W/${etag}` });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    const stale = await anonymous().get("/api/v1/openapi.json", { "If-None-Match": '"0000"' });
    expect(stale.status).toBe(200);
  });

  it("is OpenAPI 3.1 in shape: version, info, paths, operations, components, every $ref resolving", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(Object.keys(doc.paths).length).toBeGreaterThan(10);
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith("/api/v1/"), path).toBe(true);
      const templateParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries(item) as [string, any][]) {
        const label = `${method} ${path}`;
        expect(METHODS, label).toContain(method);
        expect(operationIds.has(op.operationId), `${label}: operationId ${op.operationId} repeated`).toBe(false);
        operationIds.add(op.operationId);
        expect(op.summary, label).toBeTruthy();
        expect(op.tags?.length, label).toBe(1);
        const declared = (op.parameters ?? []).filter((p: any) => p.in === "path").map((p: any) => p.name).sort();
        expect(declared, `${label}: path parameters`).toEqual(templateParams);
        const statuses = Object.keys(op.responses);
        expect(statuses.some((s) => /^(101|2\d\d)$/.test(s)), `${label}: a success response`).toBe(true);
        for (const [status, response] of Object.entries(op.responses) as [string, any][]) {
          expect(status, label).toMatch(/^[1-5]\d\d$/);
          expect(response.description, `${label} ${status}`).toBeTruthy();
          if (Number(status) >= 400) {
            const codes: string[] = response.content["application/json"].schema.properties.error.properties.code.enum;
            expect(codes.length, `${label} ${status}`).toBeGreaterThan(0);
            for (const code of codes) expect(ERROR_CODES, `${label} ${status}`).toContain(code);
          }
        }
      }
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Post", "User", "UserProfile", "Comment", "FeedResponse", "ApiFailure"]));
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      expect(ref.startsWith("#/components/"), ref).toBe(true);
      expect(pointer(ref), `${ref} resolves`).toBeTruthy();
    }
  });

  it("is generated from the same zod schemas that validate requests and type responses", () => {
    const input = (schema: z.ZodType) => {
      const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
      return rest;
    };
    expect(doc.components.schemas.CreatePostBody).toEqual(input(createPostBody));
    const createPost = doc.paths["/api/v1/posts"].post as any;
    expect(createPost.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/CreatePostBody" });
    const feed = doc.paths["/api/v1/feed"].get as any;
    expect(feed.parameters.map((p: any) => p.name)).toEqual(Object.keys(feedQuery.shape));
    // Responses are converted as outputs: strict, so a field the contract does not name is an error.
    expect(doc.components.schemas.Post).toMatchObject({ additionalProperties: false, properties: { author: { $ref: "#/components/schemas/UserSummary" } } });
    expect(Object.keys((doc.components.schemas.Post as any).properties)).toEqual(Object.keys(postSchema.shape));
    // Error codes per route (API.md), in the envelope shape.
    const signupOp = doc.paths["/api/v1/auth/signup"].post as any;
    const codesAt = (status: number) => signupOp.responses[status].content["application/json"].schema.properties.error.properties.code.enum;
    expect(codesAt(400)).toEqual(expect.arrayContaining(["INVALID_USERNAME", "WEAK_PASSWORD", "VALIDATION_ERROR"]));
    expect(codesAt(409)).toEqual(["USERNAME_TAKEN"]);
    expect(codesAt(429)).toEqual(["RATE_LIMITED"]);
    expect((doc.paths["/api/v1/posts/{id}/comments"].post as any).parameters).toContainEqual({ $ref: "#/components/parameters/IdempotencyKeyRequired" });
  });
});

describe("the document and the app name the same routes", () => {
  it("every documented route is a route of the app", () => {
    const missing = documentedRoutes().filter((route) => !appRoutes().includes(route));
    expect(missing, "documented but not in the app").toEqual([]);
  });

  it("every public route of the app is documented (admin, bench and pages aside)", () => {
    const undocumented = appRoutes().filter((route) => !documentedRoutes().includes(route));
    expect(undocumented, "in the app but not in worker/openapi/: describe them there").toEqual([]);
    expect(appRoutes().length).toBe(documentedRoutes().length);
  });

  it("every documented route answers, and not with the unknown-route 404", async () => {
    const anon = anonymous();
    for (const route of documentedRoutes()) {
      const [method, template] = route.split(" ");
      const path = template.replace(/\{[^}]+\}/g, "nobody_here");
      const res = await anon.request(method, path, method === "GET" || method === "DELETE" ? undefined : {});
      expect(res.code, `${route} reached a handler or its guards`).not.toBe("NOT_FOUND");
    }
  });
});

describe("responses are held to the document", () => {
  it("a real session's responses match, status by status (success and errors alike)", async () => {
    const ada = await signup();
    const ben = await signup();
    const post = await ada.createPost("hello https://example.com");
    await ben.follow(ada.user.username);
    for (const [method, path, body, headers] of [
      ["GET", `/api/v1/posts/${post.id}`],
      ["GET", `/api/v1/users/${ada.user.username}`],
      ["POST", `/api/v1/posts/${post.id}/share`, { content: "look" }, keyed()],
      ["POST", `/api/v1/posts/${post.id}/comments`, { content: "nice" }, keyed()],
      ["GET", `/api/v1/posts/${post.id}/comments`],
      ["GET", "/api/v1/feed?mode=latest"],
      ["GET", `/api/v1/users/${ada.user.username}/followers`],
      ["PATCH", `/api/v1/posts/${post.id}`, { content: "not yours" }],
      ["POST", "/api/v1/posts", { content: "" }, keyed()],
      ["GET", "/api/v1/feed?cursor=garbage"],
      ["PUT", "/api/v1/posts"],
    ] as [string, string, unknown?, Record<string, string>?][]) {
      // Client.request throws on any mismatch; these statuses are the ones each call must give.
      const res = await ben.request(method, path, body, headers);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
    }
  });

  it("the check fails on a body, a status or a route the document does not have", () => {
    const body = (data: unknown) => JSON.stringify({ success: true, data });
    const json = "application/json; charset=UTF-8";
    const ok = { ok: true };
    expect(() => checkResponse("GET", `${BASE}/api/v1/health`, 200, json, body(ok))).not.toThrow();
    // a field the contract does not name, a wrong type, a missing field
    expect(() => checkResponse("GET", `${BASE}/api/v1/health`, 200, json, body({ ok: true, extra: 1 }))).toThrow(/does not match its documented schema[\s\S]*#\/data/);
    expect(() => checkResponse("GET", `${BASE}/api/v1/posts/x`, 200, json, body({ post: { id: 1 } }))).toThrow(/GET \/api\/v1\/posts\/\{id\} → 200 does not match/);
    // an error code the route does not list at that status
    const failure = JSON.stringify({ success: false, error: { code: "USER_NOT_FOUND", message: "x" } });
    expect(() => checkResponse("GET", `${BASE}/api/v1/posts/x`, 404, json, failure)).toThrow(/does not match/);
    // a status the operation does not list; a route the document does not have; not JSON
    expect(() => checkResponse("GET", `${BASE}/api/v1/health`, 500, json, "{}")).toThrow(/does not list/);
    expect(() => checkResponse("GET", `${BASE}/api/v1/nope`, 200, json, body(ok))).toThrow(/no documented route/);
    expect(() => checkResponse("GET", `${BASE}/api/v1/health`, 200, "text/plain", "ok")).toThrow(/should be application\/json/);
    // the unknown-route 404 is documented once, for every path
    const notFound = JSON.stringify({ success: false, error: { code: "NOT_FOUND", message: "No such API route." } });
    expect(() => checkResponse("DELETE", `${BASE}/api/v1/nope`, 404, json, notFound)).not.toThrow();
    // left out on purpose: admin, bench, pages
    expect(() => checkResponse("GET", `${BASE}/api/v1/admin/system`, 200, json, "{}")).not.toThrow();
    expect(() => checkResponse("GET", `${BASE}/login`, 200, "text/html", "<html>")).not.toThrow();
  });

  it("literal segments win over parameters, as in the app", () => {
    expect(findOperation("PATCH", "/api/v1/users/me")?.template).toBe("/api/v1/users/me");
    expect(findOperation("GET", "/api/v1/users/me")?.template).toBe("/api/v1/users/{username}");
    expect(findOperation("GET", "/api/v1/feed/updates")?.template).toBe("/api/v1/feed/updates");
  });
});

describe("GET /api/docs", () => {
  it("is a reference page that loads its code from this origin only", async () => {
    const res = await exports.default.fetch(new Request(`${BASE}/api/docs`));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<script src="/api-docs/swagger-ui-bundle.js"></script>');
    expect(html).toContain('<script src="/api-docs/init.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>|<style>/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toContain("unsafe");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
  });
});
