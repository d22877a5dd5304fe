/**
 * Login and sign-up limits (API.md "Running it", README's API section), with the vars as
 * wrangler.toml and vitest.config.ts set them (LOGIN_RATE_LIMIT_PER_MINUTE 10, so 20 failures
 * per client; SIGNUP_RATE_LIMIT_PER_MINUTE 5). Clients are told apart by CF-Connecting-IP.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { anonymous, BASE, expectRateLimited, freshMinuteWindow, signup, signupMany, uniqueName, type Client } from "./helpers";

const PASSWORD = "correct horse battery";
const from = (ip: string) => ({ "CF-Connecting-IP": ip });

/** POST /auth/login from `ip`, with an optional cookie header. */
const login = (username: string, password: string, ip: string, cookie?: string) =>
  anonymous().post("/api/v1/auth/login", { username, password }, { ...from(ip), ...(cookie ? { cookie } : {}) });

const signupFrom = (ip: string, username = uniqueName("s"), password = PASSWORD) =>
  anonymous().post("/api/v1/auth/signup", { username, password, displayName: "S" }, from(ip));

/** The ef_device cookie a response set, as a cookie header value. */
function deviceCookie(res: { headers: Headers }): string {
  const pair = res.headers.getSetCookie().find((c) => c.startsWith("ef_device="));
  expect(pair, "an ef_device cookie").toBeDefined();
  return pair!.split(";")[0];
}

describe("login limits", () => {
  it("stops a spray: one wrong password against each of 40 accounts from one client is refused after 20", async () => {
    const accounts: Client[] = await signupMany(40, "spray");
    await freshMinuteWindow(20_000);
    const statuses: number[] = [];
    for (const account of accounts) {
      const res = await login(account.user.username, "wrong password", "203.0.113.1");
      statuses.push(res.status);
      if (res.status === 429) expectRateLimited(res);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(20).fill(429));
    // That client is refused even with a right password; the account itself is not locked.
    expectRateLimited(await login(accounts[39].user.username, PASSWORD, "203.0.113.1"));
    expect((await login(accounts[39].user.username, PASSWORD, "203.0.113.2")).status).toBe(200);
  });

  it("an IPv6 client is its /64: addresses in one /64 share the per-client limit", async () => {
    await freshMinuteWindow(15_000);
    for (let i = 0; i < 20; i++) expect((await login(uniqueName("nobody"), "wrong password", `2001:db8:1:2::${i.toString(16)}`)).status).toBe(401);
    expectRateLimited(await login(uniqueName("nobody"), "wrong password", "2001:db8:1:2:ffff:1:2:3"));
    expect((await login(uniqueName("nobody"), "wrong password", "2001:db8:1:3::1")).status).toBe(401);
  });

  it("counts only failures: 15 right passwords a minute from one client all sign in", async () => {
    const user = await signup(uniqueName("often"));
    await freshMinuteWindow(15_000);
    for (let i = 0; i < 15; i++) expect((await login(user.user.username, PASSWORD, "203.0.113.3")).status).toBe(200);
  });

  it("strangers' failures lock the account for clients without its device cookie, not for the owner's browser", async () => {
    const username = uniqueName("owner");
    const created = await signupFrom("203.0.113.4", username);
    expect(created.status).toBe(201);
    const ownerDevice = deviceCookie(created);
    expect(created.headers.getSetCookie().find((c) => c.startsWith("ef_device="))).toMatch(/HttpOnly/i);
    const other = await signupFrom("203.0.113.4");
    const otherDevice = deviceCookie(other);

    await freshMinuteWindow(20_000);
    // Ten strangers, one wrong password each.
    for (let i = 0; i < 10; i++) expect((await login(username, `guess ${i}`, `198.51.100.${i + 1}`)).status).toBe(401);
    // Now every client without the owner's device cookie is refused, right password or not...
    expectRateLimited(await login(username, PASSWORD, "198.51.100.99"));
    expectRateLimited(await login(username, PASSWORD, "203.0.113.4", otherDevice)); // a device cookie of another account
    expectRateLimited(await login(username, PASSWORD, "203.0.113.4", `${ownerDevice.slice(0, -3)}AAA`)); // forged
    // ...and the owner's browser signs in, from anywhere, and is given a fresh device cookie.
    const owner = await login(username, PASSWORD, "198.51.100.200", ownerDevice);
    expect(owner.status).toBe(200);
    expect(owner.data.user.username).toBe(username);
    expect(deviceCookie(owner)).not.toBe(ownerDevice);
  });

  it("a device cookie has its own failure limit, so a stolen one gives no more guesses", async () => {
    const username = uniqueName("stolen");
    const device = deviceCookie(await signupFrom("203.0.113.5", username));
    await freshMinuteWindow(15_000);
    for (let i = 0; i < 10; i++) expect((await login(username, `guess ${i}`, `198.51.101.${i + 1}`, device)).status).toBe(401);
    expectRateLimited(await login(username, PASSWORD, "198.51.101.50", device));
    // Its failures were its own: the account is not locked for other clients.
    expect((await login(username, PASSWORD, "198.51.101.51")).status).toBe(200);
  });

  it("a refused attempt is not counted as a failure (it cannot extend a lock-out)", async () => {
    const username = uniqueName("refused");
    await signup(username);
    await freshMinuteWindow(15_000);
    for (let i = 0; i < 10; i++) expect((await login(username, "wrong password", `198.51.102.${i + 1}`)).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await login(username, "wrong password", "198.51.102.100")).status).toBe(429);
    // Those five 429s left no trace on that client's own counter: its 20 failures are all allowed.
    for (let i = 0; i < 20; i++) expect((await login(uniqueName("nobody"), "wrong password", "198.51.102.100")).status).toBe(401);
    const row = await env.DB.prepare("SELECT count FROM rate_limits WHERE key = ?").bind(`login-user:${username}`).first<number>("count");
    expect(row).toBe(10);
  });

  it("the HTML form sign-in follows the same per-client limit", async () => {
    const username = uniqueName("formspray");
    await signup(username);
    await freshMinuteWindow(15_000);
    for (let i = 0; i < 20; i++) expect((await login(uniqueName("nobody"), "wrong password", "203.0.113.6")).status).toBe(401);
    const form = await exports.default.fetch(
      new Request(`${BASE}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE, ...from("203.0.113.6") },
        body: new URLSearchParams({ username, password: PASSWORD }).toString(),
      }),
    );
    expect(form.status).toBe(429);
    expect(Number(form.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("sign-up limit", () => {
  it("is wrangler.toml's default here: 5 a minute", () => {
    expect(env.SIGNUP_RATE_LIMIT_PER_MINUTE).toBe("5");
  });

  it("allows 5 sign-ups a minute per client (API and form alike); the 6th is 429 with Retry-After; others unaffected", async () => {
    await freshMinuteWindow(15_000);
    const ip = "203.0.113.20";
    // Refused by the local checks: not counted (they cost no hash and no write).
    expect((await signupFrom(ip, "bad name")).code).toBe("INVALID_USERNAME");
    expect((await signupFrom(ip, uniqueName("w"), "password")).code).toBe("WEAK_PASSWORD");
    for (let i = 0; i < 4; i++) expect((await signupFrom(ip)).status).toBe(201);
    // A taken name costs a hash: counted.
    const taken = await signupFrom(ip, (await signup()).user.username);
    expect(taken.code).toBe("USERNAME_TAKEN");
    const sixth = await signupFrom(ip);
    expectRateLimited(sixth);
    expect(sixth.headers.get("set-cookie")).toBeNull();
    const form = await exports.default.fetch(
      new Request(`${BASE}/signup`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE, ...from(ip) },
        body: new URLSearchParams({ username: uniqueName("f"), password: PASSWORD, displayName: "F" }).toString(),
      }),
    );
    expect(form.status).toBe(429);
    expect(Number(form.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await signupFrom("203.0.113.21")).status).toBe(201);
  });
});
