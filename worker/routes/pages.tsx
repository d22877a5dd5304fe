/** Web pages (edge-rendered). Placeholder until the web client lands. */
import { Hono } from "hono";
import type { AppEnv } from "../types";

export const pageRoutes = new Hono<AppEnv>().get("/", (c) =>
  c.html("<!doctype html><title>edgefeed</title><h1>edgefeed</h1><p>The API is at /api/v1.</p>"),
);
