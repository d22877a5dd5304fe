/**
 * The Hono app: middleware, the /api/v1 routes, and the one place where errors become the
 * envelope. Nothing a client sends may become a 5xx: bad input throws ApiError (a 4xx); anything
 * else is a bug, logged with the request id and answered 500 INTERNAL_ERROR without internals.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError } from "../core/errors";
import { bodyGuard } from "./middleware/body-guard";
import { requestContext } from "./middleware/request-context";
import { authRoutes } from "./routes/auth";
import { authFormRoutes } from "./routes/auth-forms";
import { commentRoutes } from "./routes/comments";
import { feedRoutes } from "./routes/feed";
import { mediaRoutes, mediaUploadRoutes } from "./routes/media";
import { notificationRoutes } from "./routes/notifications";
import { pageRoutes } from "./routes/pages";
import { postRoutes } from "./routes/posts";
import { userRoutes } from "./routes/users";
import { accountRoutes } from "./routes/account";
import { searchRoutes } from "./routes/search";
import { wsRoutes } from "./routes/ws";
import { apiDocsPageRoutes, serveOpenApi } from "./routes/openapi";
import { adminRoutes } from "./routes/admin";
import { adminPageRoutes } from "./routes/admin-page";
import { benchRoutes } from "./routes/bench";
import type { AppEnv } from "./types";

const api = new Hono<AppEnv>()
  .use(requestContext)
  .use(bodyGuard)
  .get("/health", (c) => c.json({ success: true as const, data: { ok: true } }, 200))
  .get("/openapi.json", serveOpenApi)
  // The account routes first: they own /auth/password, /auth/logout-everywhere and DELETE /users/me.
  .route("/", accountRoutes)
  .route("/auth", authRoutes)
  .route("/users", userRoutes)
  .route("/search", searchRoutes)
  .route("/posts", postRoutes)
  .route("/comments", commentRoutes)
  .route("/notifications", notificationRoutes)
  .route("/feed", feedRoutes)
  .route("/media", mediaUploadRoutes)
  .route("/ws", wsRoutes)
  .route("/admin", adminRoutes)
  .route("/bench", benchRoutes);


export const app = new Hono<AppEnv>()
  .route("/api/v1", api)
  .route("/", apiDocsPageRoutes)
  .route("/media", mediaRoutes)
  .route("/", adminPageRoutes)
  .route("/", pageRoutes)
  .route("/", authFormRoutes)
  // A sub-app's notFound() is not used once it is mounted with route(): the root decides. Unknown
  // API routes (any method) answer the envelope's 404 NOT_FOUND, never Hono's plain-text 404.
  .notFound(function notFound(c) {
    if (c.req.path === "/api" || c.req.path.startsWith("/api/")) {
      return c.json(new ApiError(404, "NOT_FOUND", "No such API route.").toBody(), 404);
    }
    return c.text("404 Not Found", 404);
  })
  .onError(function handleError(error, c) {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
      return c.json(error.toBody(), error.status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const mapped = error.status === 413 ? new ApiError(413, "PAYLOAD_TOO_LARGE", error.message) : new ApiError(400, "VALIDATION_ERROR", error.message);
      return c.json(mapped.toBody(), mapped.status);
    }
    console.error(
      JSON.stringify({ level: "error", msg: "unhandled", requestId: c.get("requestId"), path: c.req.path, error: String(error), stack: (error as Error)?.stack }),
    );
    return c.json(new ApiError(500, "INTERNAL_ERROR", "Something went wrong on our side; it was logged.").toBody(), 500);
  });
