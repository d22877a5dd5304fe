/**
 * API.md: POST /auth/password (every other session ends, their sockets close with 4001; 401
 * INVALID_CREDENTIALS for a wrong current password, 400 WEAK_PASSWORD by the one password rule)
 * and sign out everywhere (POST /auth/logout-everywhere, README): every session ends.
 */
import { afterEach, describe, expect, it } from "vitest";
import { anonymous, Client, expectRateLimited, freshMinuteWindow, signup, testIp } from "./helpers";
import { connect, type Inbox } from "./socket-helpers";

const PASSWORD = "correct horse battery";
const open: Inbox[] = [];
afterEach(() => open.splice(0).forEach((i) => i.close()));

/** Another browser signed in to the same account. */
async function secondDevice(c: Client, password = PASSWORD): Promise<Client> {
  const other = new Client();
  const res = await other.post("/api/v1/auth/login", { username: c.user.username, password }, { "CF-Connecting-IP": testIp() });
  expect(res.status).toBe(200);
  other.user = res.data.user;
  return other;
}
const login = (username: string, password: string) => new Client().post("/api/v1/auth/login", { username, password }, { "CF-Connecting-IP": testIp() });

describe("POST /auth/password", () => {
  it("ends every other session and closes its sockets (4001); this session goes on; the new password signs in, the old no longer", async () => {
    const a = await signup();
    const b = await secondDevice(a);
    const [aLive, bLive] = [await connect(a), await connect(b)];
    open.push(aLive, bLive);
    await b.get("/api/v1/feed"); // the object now knows (and trusts) b's session
    const res = await a.post("/api/v1/auth/password", { currentPassword: PASSWORD, newPassword: "a much newer secret" });
    expect([res.status, res.data]).toEqual([200, {}]);
    expect(await bLive.closedWith()).toBe(4001);
    for (const path of ["/api/v1/auth/me", "/api/v1/feed", "/api/v1/users/me/suggestions"]) expect((await b.get(path)).status, path).toBe(401);
    expect((await a.get("/api/v1/feed")).status).toBe(200);
    expect((await a.get("/api/v1/auth/me")).status).toBe(200);
    expect(await aLive.none((m) => m.type === "raw", 200)).toBe(true);
    expect(aLive.closed).toBe(false);
    expect((await login(a.user.username, PASSWORD)).status).toBe(401);
    expect((await login(a.user.username, "a much newer secret")).status).toBe(200);
  });

  it("401 INVALID_CREDENTIALS for a wrong current password, 400 WEAK_PASSWORD (with its reason) or VALIDATION_ERROR; nothing changes", async () => {
    const a = await signup();
    const b = await secondDevice(a);
    const wrong = await a.post("/api/v1/auth/password", { currentPassword: "not it at all", newPassword: "a much newer secret" });
    expect([wrong.status, wrong.code]).toEqual([401, "INVALID_CREDENTIALS"]);
    for (const [newPassword, reason] of [["short", "too_short"], ["password123", "common"], [a.user.username, "username"], ["          ", "blank"]]) {
      const weak = await a.post("/api/v1/auth/password", { currentPassword: PASSWORD, newPassword });
      expect([weak.status, weak.code, (weak.body as { error: { details: { reason: string } } }).error.details.reason], newPassword).toEqual([400, "WEAK_PASSWORD", reason]);
    }
    for (const body of [{}, { currentPassword: PASSWORD }, { currentPassword: 1, newPassword: "x" }, { currentPassword: PASSWORD, newPassword: "x".repeat(1025) }]) {
      expect((await a.post("/api/v1/auth/password", body)).code).toBe("VALIDATION_ERROR");
    }
    expect((await anonymous().post("/api/v1/auth/password", { currentPassword: PASSWORD, newPassword: "a much newer secret" })).status).toBe(401);
    expect((await b.get("/api/v1/auth/me")).status).toBe(200);
    expect((await login(a.user.username, PASSWORD)).status).toBe(200);
  });

  it("limits wrong current passwords per account like logins (LOGIN_RATE_LIMIT_PER_MINUTE = 10): then 429, even with the right one", async () => {
    const a = await signup();
    await freshMinuteWindow(20_000);
    for (let i = 0; i < 10; i++) expect((await a.post("/api/v1/auth/password", { currentPassword: `wrong ${i}`, newPassword: "a much newer secret" })).status).toBe(401);
    expectRateLimited(await a.post("/api/v1/auth/password", { currentPassword: PASSWORD, newPassword: "a much newer secret" }));
    expectRateLimited(await a.request("DELETE", "/api/v1/users/me", { password: PASSWORD })); // the same counter guards deletion
    expect((await a.get("/api/v1/auth/me")).status).toBe(200);
  });
});

describe("POST /auth/logout-everywhere", () => {
  it("ends every session of the user, this one too: cookies cleared, sockets closed (4001), 401 after", async () => {
    const a = await signup();
    const b = await secondDevice(a);
    const bLive = await connect(b);
    open.push(bLive);
    const res = await a.post("/api/v1/auth/logout-everywhere");
    expect([res.status, res.data]).toEqual([200, {}]);
    expect(res.headers.get("set-cookie")).toMatch(/ef_session=;/);
    expect(await bLive.closedWith()).toBe(4001);
    expect((await b.get("/api/v1/feed")).status).toBe(401);
    expect((await anonymous().post("/api/v1/auth/logout-everywhere")).status).toBe(401);
    expect((await login(a.user.username, PASSWORD)).status).toBe(200);
  });
});
