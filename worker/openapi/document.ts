/**
 * The OpenAPI 3.1 document of the public API, built from the route descriptions (./all.ts) and
 * the zod schemas they name. Built once per isolate: it depends on code only.
 */
import { z } from "zod";
import { IDEMPOTENCY_KEY_PATTERN, LIMITS, type ErrorCode } from "../../schema/api";
import { apiFailureSchema } from "../../schema/responses";
import { SESSION_COOKIE } from "../lib/session";
import { API_ROUTES, API_TAGS } from "./all";
import { buildComponents, queryFields, ref, type JsonSchema } from "./components";
import { ERROR_DESCRIPTIONS, errorCodesOf } from "./errors";
import type { ApiRoute } from "./route";

export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema> } & Record<string, unknown>;
} & JsonSchema;

const INTRO = `The HTTP contract of edgefeed (the prose version is API.md).
Every \`/api/v1/*\` response is an envelope, \`{"success": true, "data": …}\` or \`{"success": false, "error": {code, message, details?}}\`,
except this document itself. Sessions are a cookie (\`${SESSION_COOKIE}\`). A mutating request carrying an \`Origin\` of another
origin gets 403 \`CSRF_REJECTED\`; a body must be \`application/json\` (415) of at most ${LIMITS.bodyMaxBytes / 1024} KiB (413).
Unknown \`/api/v1/*\` routes answer 404 \`NOT_FOUND\`. No input produces a 5xx. A friends-only post exists only for those who
may see it: to anyone else it is 404, never 403. Generated from the same zod schemas that validate requests (schema/api.ts)
and type responses (schema/responses.ts).`;

/** What the query fields the validators share mean (the schemas say only "a string"). */
const QUERY_HELP: Record<string, string> = {
  cursor: "The `nextCursor` of the page before; absent for the first page. Opaque: a malformed one is 400 INVALID_CURSOR.",
  limit: `A whole number ≥ 1 (else 400 VALIDATION_ERROR); default ${LIMITS.listLimitDefault}, above the route's maximum (feed ${LIMITS.feedLimitMax}, lists ${LIMITS.listLimitMax}) it is that maximum.`,
  mode: "`ranked` (the default: recency, engagement and affinity) or `latest` (newest first).",
  since: "The `newestCursor` a feed or updates call returned.",
};

/** `{success: true, data}` around a shape (ApiSuccess in schema/api.ts). */
const successEnvelope = (data: JsonSchema): JsonSchema => ({
  type: "object",
  properties: { success: { const: true }, data },
  required: ["success", "data"],
  additionalProperties: false,
});

/**
 * The failure envelope (ApiFailure) narrowed to the codes a route answers with at one status,
 * whole rather than an allOf of the two, so that readers and tools show those codes.
 */
function failureWith(codes: ErrorCode[]): JsonSchema {
  const error = apiFailureSchema.shape.error.extend({ code: z.enum(codes as [ErrorCode, ...ErrorCode[]]) });
  const { $schema: _dialect, ...schema } = z.toJSONSchema(apiFailureSchema.extend({ error }), { io: "output" }) as JsonSchema;
  return schema;
}

const json = (schema: JsonSchema) => ({ "application/json": { schema } });
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

function operation(route: ApiRoute, components: ReturnType<typeof buildComponents>): JsonSchema {
  const parameters: JsonSchema[] = Object.entries(route.params ?? {}).map(([name, description]) => ({
    name,
    in: "path",
    required: true,
    description,
    schema: { type: "string", minLength: 1 },
  }));
  for (const { name, required, schema } of route.query ? queryFields(route.query) : []) {
    const { description = QUERY_HELP[name], ...rest } = schema;
    parameters.push({ name, in: "query", required, ...(description ? { description } : {}), schema: rest });
  }
  if (route.idempotency) parameters.push({ $ref: `#/components/parameters/${route.idempotency === "required" ? "IdempotencyKeyRequired" : "IdempotencyKey"}` });

  const successHeaders: Record<string, unknown> = { "X-Request-Id": header("RequestId") };
  if (route.idempotency) successHeaders["X-Idempotency-Replayed"] = header("IdempotencyReplayed");
  if (route.success.setsCookie) successHeaders["Set-Cookie"] = header("SetSessionCookie");
  const dataId = components.dataOf.get(route.operationId);
  const success: JsonSchema = { description: route.success.description, headers: successHeaders };
  if (dataId) success.content = json(route.success.bare ? ref(dataId) : successEnvelope(ref(dataId)));

  const responses: Record<string, JsonSchema> = { [route.success.status]: success };
  if (route.success.conditional) {
    successHeaders.ETag = header("ETag");
    responses[304] = { description: "Not modified: If-None-Match named the current ETag.", headers: { ETag: header("ETag") } };
  }
  for (const [status, codes] of errorCodesOf(route)) {
    const headers: Record<string, unknown> = { "X-Request-Id": header("RequestId") };
    if (status === 429) headers["Retry-After"] = header("RetryAfter");
    responses[status] = { description: `${ERROR_DESCRIPTIONS[status]} Codes: ${codes.join(", ")}.`, headers, content: json(failureWith(codes)) };
  }

  const bodyId = components.bodyOf.get(route.operationId);
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    security: route.session ? [{ session: [] }] : [],
    ...(parameters.length ? { parameters } : {}),
    ...(bodyId ? { requestBody: { required: true, content: json(ref(bodyId)) } } : {}),
    ...(route.rawBody
      ? {
          requestBody: {
            required: true,
            description: route.rawBody.description,
            content: Object.fromEntries(route.rawBody.contentTypes.map((type) => [type, { schema: { type: "string", format: "binary" } }])),
          },
        }
      : {}),
    responses,
  };
}

function build(): OpenApiDocument {
  const components = buildComponents(API_ROUTES);
  const paths: OpenApiDocument["paths"] = {};
  for (const route of API_ROUTES) {
    const item = (paths[route.path] ??= {});
    if (item[route.method]) throw new Error(`OpenAPI: ${route.method.toUpperCase()} ${route.path} is described twice`);
    item[route.method] = operation(route, components);
  }
  return {
    openapi: "3.1.1",
    info: { title: "edgefeed API", version: "1", description: INTRO },
    tags: API_TAGS,
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: "Set by signup and login (HttpOnly, SameSite=Lax)." },
      },
      parameters: {
        IdempotencyKey: idempotencyKey(false),
        IdempotencyKeyRequired: idempotencyKey(true),
      },
      headers: {
        RequestId: { description: "This request's id (an incoming valid X-Request-Id is kept); logs carry it.", schema: { type: "string" } },
        IdempotencyReplayed: { description: "`true` when this is the stored answer to an earlier request with the same key.", schema: { const: "true" } },
        ETag: { description: "The version of this body; send it back as If-None-Match.", schema: { type: "string" } },
        RetryAfter: { description: "Seconds until the limit's window ends.", schema: { type: "string", pattern: "^[0-9]+$" } },
        SetSessionCookie: { description: `Sets (or clears) the \`${SESSION_COOKIE}\` session cookie.`, schema: { type: "string" } },
      },
      responses: {
        UnknownRoute: { description: "Any method on a path that is not an API route.", content: json(failureWith(["NOT_FOUND"])) },
        // The session guard of /users, /posts, /feed and /ws runs before routing: signed out, a
        // path under them that is no route is refused before it is looked up (it reveals nothing).
        UnknownRouteSignedOut: {
          description: "Signed out, under a prefix whose routes all need a session (/users, /posts, /feed, /ws): 401 before routing.",
          content: json(failureWith(["UNAUTHENTICATED"])),
        },
      },
    },
  };
}

function idempotencyKey(required: boolean): JsonSchema {
  return {
    name: "X-Idempotency-Key",
    in: "header",
    required,
    description: required
      ? "Required: one key per logical action (scoped per user and route, kept 24 h). A repeat with the same body replays the first answer; with another body, 422."
      : "Accepted: honoured as on the routes that require it (a repeat replays the first answer).",
    schema: { type: "string", pattern: IDEMPOTENCY_KEY_PATTERN.source },
  };
}

let built: OpenApiDocument | undefined;
export function openApiDocument(): OpenApiDocument {
  return (built ??= build());
}
