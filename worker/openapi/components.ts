/**
 * The schemas of the document's `components`, converted by zod itself (`z.toJSONSchema`, JSON
 * Schema 2020-12: OpenAPI 3.1's dialect). Response shapes are every `…Schema` export of
 * schema/responses.ts, named without the suffix (`postSchema` → `Post`), converted as outputs
 * (strict objects); request bodies are converted as inputs (what a client may send: defaults
 * make a field optional). A route's body or data that is not a named shape is named after its
 * operation (`createPost` → `CreatePostBody`). Nested named shapes become `$ref`s.
 */
import { z } from "zod";
import * as responses from "../../schema/responses";
import type { ApiRoute } from "./route";

export type JsonSchema = { [key: string]: unknown };

const pascal = (name: string) => name[0].toUpperCase() + name.slice(1);
export const ref = (id: string): JsonSchema => ({ $ref: `#/components/schemas/${id}` });

type Registry = ReturnType<typeof z.registry<{ id: string }>>;

function register(registry: Registry, schema: z.ZodType, id: string): string {
  const known = registry.get(schema)?.id;
  if (known) return known;
  registry.add(schema, { id });
  return id;
}

function convert(registry: Registry, io: "input" | "output"): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, unrepresentable: "any" });
  const out: Record<string, JsonSchema> = {};
  for (const [id, { $schema: _dialect, $id: _id, ...schema }] of Object.entries(schemas as Record<string, JsonSchema>)) out[id] = schema;
  return out;
}

export interface Components {
  schemas: Record<string, JsonSchema>;
  /** The component id of each route's body and success schema, by operationId. */
  bodyOf: Map<string, string>;
  dataOf: Map<string, string>;
}

export function buildComponents(routes: readonly ApiRoute[]): Components {
  const outputs: Registry = z.registry<{ id: string }>();
  const inputs: Registry = z.registry<{ id: string }>();
  for (const [name, value] of Object.entries(responses)) {
    if (name.endsWith("Schema") && value instanceof z.ZodType) register(outputs, value, pascal(name.slice(0, -"Schema".length)));
  }
  const bodyOf = new Map<string, string>();
  const dataOf = new Map<string, string>();
  for (const route of routes) {
    if (route.body) bodyOf.set(route.operationId, register(inputs, route.body, `${pascal(route.operationId)}Body`));
    const data = route.success.data ?? route.success.bare;
    if (data) dataOf.set(route.operationId, register(outputs, data, `${pascal(route.operationId)}Response`));
  }
  const outputSchemas = convert(outputs, "output");
  const inputSchemas = convert(inputs, "input");
  const clash = Object.keys(inputSchemas).find((id) => id in outputSchemas);
  if (clash) throw new Error(`OpenAPI: "${clash}" names both a request body and a response shape`);
  const schemas = { ...outputSchemas, ...inputSchemas };
  return { schemas, bodyOf, dataOf };
}

/** A query validator's fields as JSON Schemas (inputs: what a client writes in the URL). */
export function queryFields(query: z.ZodObject): { name: string; required: boolean; schema: JsonSchema }[] {
  const json = z.toJSONSchema(query, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({ name, required: json.required?.includes(name) ?? false, schema }));
}
