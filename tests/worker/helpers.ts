/**
 * A test client that speaks the HTTP contract to the real worker (in workerd, with real D1 and
 * Durable Objects) the way a browser would: it keeps the session cookie between requests.
 */
import { env, exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import type { Post, User } from "../../schema/api";

export const BASE = "http://localhost";
let counter = 0;

/** A username unique within this test file (storage is shared by the tests of one file). */
export function uniqueName(prefix = "u"): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`.toLowerCase().slice(0, 30);
}

export interface ApiResult<T = any> {
  status: number;
  body: { success: true; data: T } | { success: false; error: { code: string; message: string; details?: unknown } };
  headers: Headers;
  data: T;
  code: string | undefined;
}

export class Client {
  cookie = "";
  user!: User;

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (this.cookie) (init.headers as Record<string, string>).cookie = this.cookie;
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] ??= "application/json";
    }
    const res = await exports.default.fetch(new Request(`${BASE}${path}`, init));
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) {
      const [pair] = setCookie.split(";");
      this.cookie = pair.endsWith("=") ? "" : pair;
    }
    const text = await res.text();
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { success: false, error: { code: "NOT_JSON", message: text } };
    }
    return { status: res.status, body: parsed, headers: res.headers, data: parsed.data, code: parsed.error?.code };
  }

  get = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>("GET", path, undefined, headers);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.request<T>("POST", path, body, headers);
  patch = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.request<T>("PATCH", path, body, headers);
  del = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>("DELETE", path, undefined, headers);

  /** POST /posts with a fresh idempotency key. */
  async createPost(content: string, extra: Record<string, unknown> = {}): Promise<Post> {
    const res = await this.post<{ post: Post }>("/api/v1/posts", { content, ...extra }, { "X-Idempotency-Key": crypto.randomUUID() });
    if (res.status !== 201) throw new Error(`createPost failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.data.post;
  }

  async follow(username: string): Promise<void> {
    const res = await this.post(`/api/v1/users/${username}/follow`);
    if (res.status !== 200) throw new Error(`follow failed: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** Every post of the home feed, following nextCursor to the end. */
  async wholeFeed(mode: "ranked" | "latest" = "latest", limit = 5, between?: (page: number) => Promise<void>): Promise<Post[]> {
    const out: Post[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const qs = new URLSearchParams({ mode, limit: String(limit) });
      if (cursor) qs.set("cursor", cursor);
      const res = await this.get(`/api/v1/feed?${qs}`);
      if (res.status !== 200) throw new Error(`feed failed: ${res.status} ${JSON.stringify(res.body)}`);
      out.push(...res.data.posts);
      if (!res.data.pagination.hasMore) return out;
      cursor = res.data.pagination.nextCursor;
      if (between) await between(page);
    }
    throw new Error("feed did not end");
  }
}

export async function signup(username = uniqueName(), password = "correct horse battery"): Promise<Client> {
  const client = new Client();
  const res = await client.post("/api/v1/auth/signup", { username, password, displayName: username.toUpperCase() });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  client.user = res.data.user;
  return client;
}

/** Runs the author's fan-out to completion (the alarm), as the platform would. */
export async function drainFanout(userId: string): Promise<void> {
  const stub = env.USER_FEED.getByName(userId);
  for (let i = 0; i < 200; i++) {
    const inspect = await stub.inspect();
    if (inspect.jobs.length === 0) return;
    await runDurableObjectAlarm(stub);
  }
  throw new Error("fan-out did not finish");
}
