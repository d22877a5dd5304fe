/** Health, this document, and the WebSocket upgrade (worker/app.ts, routes/openapi.ts, routes/ws.ts). */
import { z } from "zod";
import { healthResponseSchema } from "../../schema/responses";
import { routes } from "./route";

/** The document itself, loosely: its own standard (OpenAPI 3.1) defines the rest. */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string().startsWith("3.1."),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

const SOCKET = `Upgrades to a WebSocket (JSON text messages, at most 16 KiB each, at most 20 a second; at most 10 sockets per user).
Client → server \`{type, payload?, requestId?}\`: \`ping\`; \`subscribe_feed\` / \`unsubscribe_feed\` \`{userId}\` (an author's
live posts, at most 20); \`watch_posts\` \`{postIds}\` (at most 200, replaces the set).
Server → client \`{type, payload, timestamp, correlationId?}\`: \`connection_ack\`, \`pong\`, \`new_post\` \`{post}\`,
\`engagement_update\` \`{postId, field, delta, newValue}\`, \`post_update\` \`{post}\` or \`{postId, deleted: true}\`,
\`subscribed\`, \`unsubscribed\`, \`watching {count}\`, \`error {code, message}\`. Every message is built for its recipient.
Close codes: 4001 session ended (do not reconnect with it), 4008 too many sockets, 1008 message rate.`;

export const systemRoutesDoc = routes(
  {
    method: "get",
    path: "/api/v1/health",
    operationId: "health",
    tag: "system",
    summary: "Liveness",
    session: false,
    success: { status: 200, description: "Up.", data: healthResponseSchema },
  },
  {
    method: "get",
    path: "/api/v1/openapi.json",
    operationId: "openapi",
    tag: "system",
    summary: "This document",
    description: "The bare document (no envelope), to anyone; cacheable, with an ETag.",
    session: false,
    success: { status: 200, description: "OpenAPI 3.1.", bare: openApiDocumentSchema, conditional: true },
  },
  {
    method: "get",
    path: "/api/v1/ws",
    operationId: "socket",
    tag: "system",
    summary: "The live socket",
    description: SOCKET,
    session: true,
    success: { status: 101, description: "Switching protocols." },
    errors: { 400: ["VALIDATION_ERROR"], 403: ["CSRF_REJECTED"] },
  },
);
