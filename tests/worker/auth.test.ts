/**
 * API.md "Authentication": signup, login, logout, me; every error code of that table; the
 * cookie's attributes; what D1 stores for passwords and sessions; the login rate limit.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { checkedFetch } from "./contract";
import { expectRateLimited, anonymous, BASE, Client, freshMinuteWindow, signup, testIp, uniqueName } from "./helpers";

const PASSWORD = "correct horse battery";
/** Sign-ups are limited per client: each of these comes from a client of its own. */
const fresh = () => ({ "CF-Connecting-IP": testIp() });

async function rawSignup(body: unknown, url = `${BASE}/api/v1/auth/signup`) {
  const headers = { "content-type": "application/json", "CF-Connecting-IP": testIp() };
  return checkedFetch(new Request(url, { method: "POST", headers, body: JSON.stringify(body) }));
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

describe("POST /auth/signup", () => {
  it("creates the user, answers 201 {user} and sets an HttpOnly SameSite=Lax session cookie", async () => {
    const username = uniqueName("sign");
    const res = await rawSignup({ username, password: PASSWORD, displayName: "Sign Up" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body.success).toBe(true);
    expect(body.data.user).toMatchObject({
      username,
      displayName: "Sign Up",
      avatarUrl: null,
      bio: null,
      followerCount: 0,
      followingCount: 0,
      isCelebrity: false,
    });
    expect(typeof body.data.user.id).toBe("string");
    expect(new Date(body.data.user.createdAt).toISOString()).toBe(body.data.user.createdAt);
    expect(body.data.user).not.toHaveProperty("passwordHash");
    expect(JSON.stringify(body)).not.toContain(PASSWORD);

    const cookie = res.headers.get("set-cookie") ?? "";
    // <user id>.<256-bit token>.<HMAC of both> (worker/lib/session-cookie.ts)
    expect(cookie).toMatch(new RegExp(`^ef_session=${body.data.user.id}\\.[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43};`));
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    // localhost: no Secure (so the cookie works over plain http in development)
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it("marks the cookie Secure outside localhost", async () => {
    const res = await rawSignup({ username: uniqueName("sec"), password: PASSWORD, displayName: "S" }, "https://edgefeed.example/api/v1/auth/signup");
    expect(res.status).toBe(201);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
  });

  it("the new session works at once (GET /auth/me)", async () => {
    const client = await signup();
    const me = await client.get("/api/v1/auth/me");
    expect(me.status).toBe(200);
    expect(me.data.user.id).toBe(client.user.id);
  });

  it.each([
    ["too short", "ab"],
    ["too long", "a".repeat(31)],
    ["a dash", "bad-name"],
    ["a space", "bad name"],
    ["non-ASCII", "héllo"],
    ["a dot", "a.b.c"],
    ["empty", ""],
  ])("400 INVALID_USERNAME for %s", async (_what, username) => {
    const res = await anonymous().post("/api/v1/auth/signup", { username, password: PASSWORD, displayName: "X" }, fresh());
    expect(res.status).toBe(400);
    expect(res.code).toBe("INVALID_USERNAME");
    expect(res.body.success).toBe(false);
  });

  it("accepts usernames at both length limits (3 and 30)", async () => {
    // uniqueName() never makes names this short, so "a_1" is free in this file's storage.
    const res3 = await anonymous().post("/api/v1/auth/signup", { username: "a_1", password: PASSWORD, displayName: "X" }, fresh());
    expect(res3.status).toBe(201);
    const thirty = uniqueName("t").padEnd(30, "_").slice(0, 30);
    const res30 = await anonymous().post("/api/v1/auth/signup", { username: thirty, password: PASSWORD, displayName: "X" }, fresh());
    expect(res30.status).toBe(201);
    expect(res30.data.user.username).toBe(thirty);
  });

  it("400 WEAK_PASSWORD below 8 characters; 8 uncommon ones are enough (the full rule: passwords.test.ts)", async () => {
    const weak = await anonymous().post("/api/v1/auth/signup", { username: uniqueName("w"), password: "q7#vZ2!", displayName: "W" }, fresh());
    expect(weak.status).toBe(400);
    expect(weak.code).toBe("WEAK_PASSWORD");
    const ok = await anonymous().post("/api/v1/auth/signup", { username: uniqueName("w"), password: "q7#vZ2!k", displayName: "W" }, fresh());
    expect(ok.status).toBe(201);
  });

  it("409 USERNAME_TAKEN, also for a different letter case", async () => {
    const username = uniqueName("taken");
    await signup(username);
    const again = await anonymous().post("/api/v1/auth/signup", { username, password: PASSWORD, displayName: "Again" }, fresh());
    expect(again.status).toBe(409);
    expect(again.code).toBe("USERNAME_TAKEN");
    const upper = await anonymous().post("/api/v1/auth/signup", { username: username.toUpperCase(), password: PASSWORD, displayName: "Again" }, fresh());
    expect(upper.status).toBe(409);
    expect(upper.code).toBe("USERNAME_TAKEN");
    // and no session was started by the refused signups
    expect(again.headers.get("set-cookie")).toBeNull();
  });

  it("400 VALIDATION_ERROR with details for a body of the wrong shape", async () => {
    const res = await anonymous().post("/api/v1/auth/signup", { username: uniqueName("v"), password: PASSWORD }, fresh());
    expect(res.status).toBe(400);
    expect(res.code).toBe("VALIDATION_ERROR");
    expect((res.body as any).error.details).toBeDefined();
  });

  it("stores the password as PBKDF2-SHA256 with 100000 iterations, a 16-byte salt per user, never in plain", async () => {
    const a = uniqueName("pw");
    const b = uniqueName("pw");
    await signup(a, PASSWORD);
    await signup(b, PASSWORD);
    const rows = (
      await env.DB.prepare("SELECT username, password_hash FROM users WHERE username IN (?, ?)").bind(a, b).all<{ username: string; password_hash: string }>()
    ).results;
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const parts = row.password_hash.split("$");
      expect(parts).toHaveLength(4);
      expect(parts[0]).toBe("pbkdf2-sha256");
      expect(parts[1]).toBe("100000");
      expect(fromBase64(parts[2]).length).toBe(16);
      expect(fromBase64(parts[3]).length).toBe(32);
      expect(row.password_hash).not.toContain(PASSWORD);
    }
    // A per-user salt: the same password hashes differently.
    expect(rows[0].password_hash.split("$")[2]).not.toBe(rows[1].password_hash.split("$")[2]);
    expect(rows[0].password_hash.split("$")[3]).not.toBe(rows[1].password_hash.split("$")[3]);

    // The stored hash is really PBKDF2-SHA256(password, salt, 100000).
    const [, , salt, hash] = rows[0].password_hash.split("$");
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(PASSWORD), "PBKDF2", false, ["deriveBits"]);
    const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: fromBase64(salt), iterations: 100_000 }, key, 256);
    expect(btoa(String.fromCharCode(...new Uint8Array(bits)))).toBe(hash);
  });

  it("stores only a SHA-256 of the session token, never the token", async () => {
    const client = await signup();
    const token = client.cookie.split("=")[1].split(".")[1]; // <user id>.<token>.<mac>
    const rows = (await env.DB.prepare("SELECT token_hash FROM sessions WHERE user_id = ?").bind(client.user.id).all<{ token_hash: string }>()).results;
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).not.toContain(token);
    expect(rows[0].token_hash).toBe(await sha256Hex(token));
  });
});

describe("POST /auth/login", () => {
  it("200 {user} and a fresh cookie for the right password (username case-insensitive)", async () => {
    const username = uniqueName("login");
    const first = await signup(username);
    const client = new Client();
    const res = await client.post("/api/v1/auth/login", { username: username.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.data.user.id).toBe(first.user.id);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(client.cookie).not.toBe(first.cookie);
    expect((await client.get("/api/v1/auth/me")).data.user.username).toBe(username);
  });

  it("401 INVALID_CREDENTIALS for a wrong password and for an unknown user, alike", async () => {
    const username = uniqueName("login");
    await signup(username);
    const wrong = await anonymous().post("/api/v1/auth/login", { username, password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(wrong.code).toBe("INVALID_CREDENTIALS");
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const unknown = await anonymous().post("/api/v1/auth/login", { username: uniqueName("nobody"), password: PASSWORD });
    expect(unknown.status).toBe(401);
    expect(unknown.code).toBe("INVALID_CREDENTIALS");
    expect((unknown.body as any).error.message).toBe((wrong.body as any).error.message);
  });

  it("429 RATE_LIMITED with Retry-After after 10 failed attempts a minute per username; other usernames unaffected", async () => {
    const username = uniqueName("rl");
    const other = uniqueName("rl");
    await signup(username);
    await signup(other);
    const from = { "CF-Connecting-IP": "192.0.2.10" };
    await freshMinuteWindow(15_000);
    for (let i = 0; i < 10; i++) {
      const res = await anonymous().post("/api/v1/auth/login", { username, password: `wrong ${i}` }, from);
      expect(res.status).toBe(401);
    }
    // The 11th attempt is refused even with the right password (this client has no device cookie).
    const limited = await anonymous().post("/api/v1/auth/login", { username, password: PASSWORD }, from);
    expectRateLimited(limited);
    expect(limited.headers.get("set-cookie")).toBeNull();
    // Case variants are the same username.
    expect((await anonymous().post("/api/v1/auth/login", { username: username.toUpperCase(), password: PASSWORD }, from)).status).toBe(429);
    // Another username still logs in.
    expect((await anonymous().post("/api/v1/auth/login", { username: other, password: PASSWORD }, from)).status).toBe(200);
  });

  it("the login limit follows LOGIN_RATE_LIMIT_PER_MINUTE (the worker enforces it: lowered per request here)", async () => {
    const username = uniqueName("rl3");
    await signup(username);
    await freshMinuteWindow(15_000);
    const lowered = { ...env, LOGIN_RATE_LIMIT_PER_MINUTE: "3" };
    const attempt = (password: string) =>
      app.fetch(
        new Request(`${BASE}/api/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json", "CF-Connecting-IP": "192.0.2.11" },
          body: JSON.stringify({ username, password }),
        }),
        lowered,
      );
    // Successes do not count; 3 failures do.
    for (let i = 0; i < 4; i++) expect((await attempt(PASSWORD)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await attempt("wrong password")).status).toBe(401);
    const limited = await attempt(PASSWORD);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as any).error.code).toBe("RATE_LIMITED");
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("400 VALIDATION_ERROR for a body of the wrong shape", async () => {
    const res = await anonymous().post("/api/v1/auth/login", { username: 42, password: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.code).toBe("VALIDATION_ERROR");
  });
});

describe("POST /auth/logout and GET /auth/me", () => {
  it("logout answers 200 {}, clears the cookie and revokes the session server-side", async () => {
    const client = await signup();
    const oldCookie = client.cookie;
    const res = await client.post("/api/v1/auth/logout");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, data: {} });
    const cleared = res.headers.get("set-cookie") ?? "";
    expect(cleared).toMatch(/^ef_session=;/);
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(client.cookie).toBe("");

    // The old cookie, replayed by someone who kept it, no longer works anywhere.
    const replay = new Client();
    replay.cookie = oldCookie;
    const me = await replay.get("/api/v1/auth/me");
    expect(me.status).toBe(401);
    expect(me.code).toBe("UNAUTHENTICATED");
    expect((await replay.get("/api/v1/feed")).status).toBe(401);
    expect((await replay.post("/api/v1/posts", { content: "x" }, { "X-Idempotency-Key": "k" })).status).toBe(401);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?").bind(client.user.id).first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });

  it("logout revokes only that session, not the user's other sessions", async () => {
    const username = uniqueName("two");
    const tab1 = await signup(username);
    const tab2 = new Client();
    expect((await tab2.post("/api/v1/auth/login", { username, password: PASSWORD })).status).toBe(200);
    await tab1.post("/api/v1/auth/logout");
    expect((await tab2.get("/api/v1/auth/me")).status).toBe(200);
  });

  it("logout without a session is harmless (200)", async () => {
    const res = await anonymous().post("/api/v1/auth/logout");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, data: {} });
  });

  it("me: 200 {user} with a session; 401 UNAUTHENTICATED without one or with a forged cookie", async () => {
    const client = await signup();
    const me = await client.get("/api/v1/auth/me");
    expect(me.status).toBe(200);
    expect(me.data.user).toMatchObject({ id: client.user.id, username: client.user.username, followerCount: 0, followingCount: 0 });

    const none = await anonymous().get("/api/v1/auth/me");
    expect(none.status).toBe(401);
    expect(none.code).toBe("UNAUTHENTICATED");

    const forged = new Client();
    forged.cookie = "ef_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    expect((await forged.get("/api/v1/auth/me")).code).toBe("UNAUTHENTICATED");
    forged.cookie = `ef_session=${"x".repeat(5000)}`;
    expect((await forged.get("/api/v1/auth/me")).status).toBe(401);
  });

  it("every authenticated route answers 401 UNAUTHENTICATED without a session", async () => {
    const anon = anonymous();
    const calls: [string, string][] = [
      ["GET", "/api/v1/feed"],
      ["GET", "/api/v1/feed/updates?since=x"],
      ["GET", "/api/v1/users/someone"],
      ["PATCH", "/api/v1/users/me"],
      ["POST", "/api/v1/users/someone/follow"],
      ["DELETE", "/api/v1/users/someone/follow"],
      ["GET", "/api/v1/users/someone/posts"],
      ["GET", "/api/v1/users/someone/followers"],
      ["GET", "/api/v1/users/someone/following"],
      ["POST", "/api/v1/posts"],
      ["GET", "/api/v1/posts/x"],
      ["PATCH", "/api/v1/posts/x"],
      ["DELETE", "/api/v1/posts/x"],
      ["POST", "/api/v1/posts/x/like"],
      ["DELETE", "/api/v1/posts/x/like"],
      ["GET", "/api/v1/posts/x/comments"],
      ["POST", "/api/v1/posts/x/comments"],
      ["POST", "/api/v1/posts/x/share"],
    ];
    for (const [method, path] of calls) {
      const res = await anon.request(method, path, method === "GET" || method === "DELETE" ? undefined : {});
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.code, `${method} ${path}`).toBe("UNAUTHENTICATED");
    }
  });
});
