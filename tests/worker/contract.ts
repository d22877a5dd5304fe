/**
 * Every response a worker test receives through `Client.request` is checked against the
 * OpenAPI document (worker/openapi/): the operation for its method and path template must
 * exist, must document its status, and its body must validate against the documented schema
 * (JSON Schema 2020-12, @cfworker/json-schema: it runs in workerd, no eval). So the whole suite
 * proves the document describes what the worker really answers. Out of scope: pages, forms,
 * `/api/docs`, and the admin and bench routes, which the document leaves out. Tests that build
 * their own requests use `checkedFetch` for the same check.
 */
import { dereference, validate, type OutputUnit, type Schema } from "@cfworker/json-schema";
import { exports } from "cloudflare:workers";
import { openApiDocument } from "../../worker/openapi/document";

type Json = Record<string, any>;
interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
  responses: Record<string, Json>;
}

/** Paths the document leaves out on purpose. */
const UNDOCUMENTED = [/^\/api\/docs$/, /^\/api\/v1\/(admin|bench)(\/|$)/];

let compiled: { operations: Operation[]; unknownRoute: Record<number, Json>; lookup: Record<string, Schema | boolean> } | undefined;

function contract() {
  if (compiled) return compiled;
  // A copy: dereference() marks the schema objects it indexes, and the worker serves the original.
  const doc = JSON.parse(JSON.stringify(openApiDocument())) as Json;
  const lookup = dereference(doc as Schema);
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries<Json>(doc.paths)) {
    const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
    for (const [method, op] of Object.entries<Json>(item)) {
      operations.push({ method, template, pattern: new RegExp(`^${source}$`), params: (template.match(/\{/g) ?? []).length, responses: op.responses });
    }
  }
  // Literal segments win over parameters (PATCH /users/me before /users/{username}), as in the app.
  operations.sort((a, b) => a.params - b.params);
  const { UnknownRoute, UnknownRouteSignedOut } = doc.components.responses;
  compiled = { operations, unknownRoute: { 404: UnknownRoute, 401: UnknownRouteSignedOut }, lookup };
  return compiled;
}

export function findOperation(method: string, path: string): Operation | undefined {
  const m = method.toLowerCase() === "head" ? "get" : method.toLowerCase();
  return contract().operations.find((op) => op.method === m && op.pattern.test(path));
}

function describeErrors(errors: OutputUnit[]): string {
  // The deepest failures say the most; the rest are the same failure seen from its parents.
  const leaves = errors.filter((e) => !errors.some((o) => o !== e && o.instanceLocation.startsWith(e.instanceLocation) && o.instanceLocation.length > e.instanceLocation.length));
  return (leaves.length ? leaves : errors)
    .slice(0, 6)
    .map((e) => `  at ${e.instanceLocation} (${e.keywordLocation}): ${e.error}`)
    .join("\n");
}

/** Throws, with what differs, when a response is not what the document says. */
export function checkResponse(method: string, url: string, status: number, contentType: string | null, text: string): void {
  const path = new URL(url).pathname;
  if (!(path === "/api" || path.startsWith("/api/")) || UNDOCUMENTED.some((re) => re.test(path))) return;
  const op = findOperation(method, path);
  const where = op ? `${method.toUpperCase()} ${op.template}` : `${method.toUpperCase()} ${path} (no documented route)`;
  const response = op ? op.responses[String(status)] : contract().unknownRoute[status];
  if (!response) {
    const documented = op ? Object.keys(op.responses).join(", ") : "404 NOT_FOUND, or 401 UNAUTHENTICATED signed out";
    throw new Error(`OpenAPI: ${where} answered ${status}, which the document does not list (it lists ${documented}).\nBody: ${text.slice(0, 500)}`);
  }
  const schema = response.content?.["application/json"]?.schema;
  if (!schema || method.toUpperCase() === "HEAD") return;
  if (!contentType?.toLowerCase().startsWith("application/json")) {
    throw new Error(`OpenAPI: ${where} → ${status} should be application/json, was ${contentType}.\nBody: ${text.slice(0, 500)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`OpenAPI: ${where} → ${status} is not JSON.\nBody: ${text.slice(0, 500)}`);
  }
  const result = validate(body, schema, "2020-12", contract().lookup, false);
  if (!result.valid) {
    throw new Error(`OpenAPI: ${where} → ${status} does not match its documented schema:\n${describeErrors(result.errors)}\nBody: ${text.slice(0, 800)}`);
  }
}

/** `exports.default.fetch` with the response checked as Client.request's are (a 101 has no body to read). */
export async function checkedFetch(request: Request): Promise<Response> {
  const { method, url } = request;
  const res = await exports.default.fetch(request);
  const text = res.status === 101 || res.body === null ? "" : await res.clone().text();
  checkResponse(method, url, res.status, res.headers.get("content-type"), text);
  return res;
}
