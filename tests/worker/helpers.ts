/**
 * A test client that speaks the HTTP contract to the real worker (in workerd, with real D1 and
 * Durable Objects) the way a browser would: it keeps the session cookie between requests.
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { Post, User } from "../../schema/api";
import type { UserFeed } from "../../durable-objects/UserFeed";
import { checkResponse } from "./contract";

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
  /** The cookies the worker set, as a Cookie header (assignable: a test may replace them). */
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
    // A cookie jar over `cookie` (which a test may set by hand) for the session cookie and the D1
    // bookmark cookie that mutations set (worker/lib/d1.ts). Others (the login-device cookie) are
    // not kept: tests that want one send it themselves.
    const setCookies = res.headers.getSetCookie().filter((line) => line.startsWith("ef_session=") || line.startsWith("ef_bm="));
    if (setCookies.length > 0) {
      const jar = new Map(this.cookie.split("; ").filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf("=")), pair] as const));
      for (const line of setCookies) {
        const [pair] = line.split(";");
        const name = pair.slice(0, pair.indexOf("="));
        if (pair.endsWith("=")) jar.delete(name);
        else jar.set(name, pair);
      }
      this.cookie = [...jar.values()].join("; ");
    }
    const text = await res.text();
    // Every response of every test is held to the OpenAPI document (tests/worker/contract.ts).
    checkResponse(method, `${BASE}${path}`, res.status, res.headers.get("content-type"), text);
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

/**
 * A client address of its own (CF-Connecting-IP, 198.18.0.0/15 is for tests): sign-ups are limited
 * per client (SIGNUP_RATE_LIMIT_PER_MINUTE, 5 from wrangler.toml), and test users are different people.
 */
let clients = 0;
export function testIp(): string {
  clients += 1;
  return `198.18.${(clients >> 8) & 255}.${clients & 255}`;
}

export async function signup(username = uniqueName(), password = "correct horse battery"): Promise<Client> {
  const client = new Client();
  const res = await client.post("/api/v1/auth/signup", { username, password, displayName: username.toUpperCase() }, { "CF-Connecting-IP": testIp() });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  client.user = res.data.user;
  return client;
}

/** Runs the author's fan-out to completion (the alarm), as the platform would. A media sweep waiting for an upload's 24 hours is not fan-out: it is left waiting. */
export async function drainFanout(userId: string): Promise<void> {
  const stub = env.USER_FEED.getByName(userId);
  for (let i = 0; i < 200; i++) {
    const inspect = await stub.inspect();
    if (inspect.jobs.every((job) => job.kind === "media_sweep" && job.nextRunAt > Date.now())) return;
    await runDurableObjectAlarm(stub);
  }
  throw new Error("fan-out did not finish");
}

// ---------------------------------------------------------------------------------------------
// Additions for the issue-2 suite (existing exports above are unchanged).

/** Headers carrying a fresh (or the given) idempotency key. */
export function keyed(key: string = crypto.randomUUID()): Record<string, string> {
  return { "X-Idempotency-Key": key };
}

/** A user who is not signed in (no cookie). */
export function anonymous(): Client {
  return new Client();
}

/** Several users at once. */
export async function signupMany(n: number, prefix = "u"): Promise<Client[]> {
  const out: Client[] = [];
  for (let i = 0; i < n; i++) out.push(await signup(uniqueName(prefix)));
  return out;
}

/** a and b follow each other (friends). */
export async function befriend(a: Client, b: Client): Promise<void> {
  await a.follow(b.user.username);
  await b.follow(a.user.username);
}

/** Every post id of an author's profile the client may see, following the cursor to the end. */
export async function profilePostIds(client: Client, username: string, limit = 7): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const qs = new URLSearchParams({ limit: String(limit) });
    if (cursor) qs.set("cursor", cursor);
    const res = await client.get(`/api/v1/users/${username}/posts?${qs}`);
    if (res.status !== 200) throw new Error(`profile posts failed: ${res.status} ${JSON.stringify(res.body)}`);
    out.push(...res.data.posts.map((p: Post) => p.id));
    if (!res.data.pagination.hasMore) return out;
    cursor = res.data.pagination.nextCursor;
  }
  throw new Error("profile posts did not end");
}

/** The post ids a user's UserFeed timeline holds (newest first), read from the object itself. */
export async function timelineIds(userId: string): Promise<string[]> {
  return inUserFeed(userId, (instance) => instance.timeline.page(null, 100_000));
}

/**
 * Runs `callback` inside a user's UserFeed object (cloudflare:test's runInDurableObject, typed
 * loosely: the full RPC type of UserFeed is too deep for the checker here).
 */
export function inUserFeed<R>(userId: string, callback: (instance: UserFeed, state: DurableObjectState) => R | Promise<R>): Promise<R> {
  const run = runInDurableObject as unknown as (stub: unknown, cb: typeof callback) => Promise<R>;
  return run(env.USER_FEED.getByName(userId), callback);
}

/** Waits, if needed, so that a fixed one-minute rate-limit window has at least `needMs` left. */
export async function freshMinuteWindow(needMs = 10_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}

/** ids of posts, for comparisons. */
export const ids = (posts: { id: string }[]) => posts.map((p) => p.id);

/** Counts occurrences; anything above 1 is a duplicate. */
export function duplicates(list: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const x of list) (seen.has(x) ? dup : seen).add(x);
  return [...dup];
}

/** A 429 RATE_LIMITED with a Retry-After of 1 to 60 whole seconds (the one-minute windows). */
export function expectRateLimited(res: ApiResult): void {
  expect(res.status).toBe(429);
  expect(res.code).toBe("RATE_LIMITED");
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

/**
 * `db` with `check(sql)` run before every statement is prepared, in the D1 sessions it opens too
 * (core/d1.ts: objects and routes query through sessions): a test's way to hold or fail a
 * statement of real code. `check` may throw.
 */
export function checkingPrepare<T extends Pick<D1Database, "prepare">>(db: T, check: (sql: string) => void): T {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "withSession") return (constraint?: string) => checkingPrepare((target as unknown as D1Database).withSession(constraint), check);
      if (prop !== "prepare") {
        const value = Reflect.get(target, prop, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (sql: string) => {
        check(sql);
        return target.prepare(sql);
      };
    },
  });
}
