/**
 * Sign-in, sign-up and log-out as plain form posts (worker/routes/auth-forms.ts): what a browser
 * does when the button is pressed before the page's script has loaded, or without script.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, signup, uniqueName } from "./helpers";

const PASSWORD = "correct horse battery";
const stateOf = (html: string) => JSON.parse(html.split('<script id="ef-state" type="application/json">')[1].split("</script>")[0]);

function postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return exports.default.fetch(
    new Request(`${BASE}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE, ...headers },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}
const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0];
const usersNamed = (username: string) => env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE username = ?").bind(username).first<number>("n");

describe("auth as form posts", () => {
  it("signs up with a 303 to / and a working HttpOnly session; a blank display name becomes the username", async () => {
    const username = uniqueName("form");
    const res = await postForm("/signup", { username: username.toUpperCase(), password: PASSWORD, displayName: "" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    expect(res.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    const me = await exports.default.fetch(new Request(`${BASE}/api/v1/auth/me`, { headers: { cookie: cookieOf(res) } }));
    expect(((await me.json()) as any).data.user).toMatchObject({ username, displayName: username });
  });

  it("re-renders the form with the API's error code and status, and creates nothing", async () => {
    const taken = await signup();
    const cases: [Record<string, string>, number, string][] = [
      [{ username: taken.user.username, password: PASSWORD }, 409, "USERNAME_TAKEN"],
      [{ username: uniqueName("weak"), password: "short" }, 400, "WEAK_PASSWORD"],
      [{ username: "no spaces allowed", password: PASSWORD }, 400, "INVALID_USERNAME"],
      [{ username: uniqueName("nopw") }, 400, "VALIDATION_ERROR"],
    ];
    for (const [fields, status, code] of cases) {
      const res = await postForm("/signup", fields);
      expect(res.status, code).toBe(status);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(res.headers.get("set-cookie")).toBeNull();
      const state = stateOf(await res.text());
      expect(state).toMatchObject({ page: "signup", viewer: null, authError: { code } });
      if (code !== "USERNAME_TAKEN") expect(await usersNamed(fields.username)).toBe(0);
    }
  });

  it("signs in, explains a wrong password without revealing it, and keeps the password out of every URL", async () => {
    const user = await signup(uniqueName("login"), PASSWORD);
    const wrong = await postForm("/login", { username: user.user.username, password: "not the password" });
    expect(wrong.status).toBe(401);
    const page = await wrong.text();
    expect(stateOf(page)).toMatchObject({ page: "login", authError: { code: "INVALID_CREDENTIALS" } });
    expect(page).not.toContain("not the password");
    expect(page).toMatch(/<form[^>]*method="post"[^>]*action="\/login"/);

    const right = await postForm("/login", { username: user.user.username, password: PASSWORD });
    expect(right.status).toBe(303);
    expect(right.headers.get("location")).toBe("/");
    const home = await exports.default.fetch(new Request(`${BASE}/`, { headers: { cookie: cookieOf(right) } }));
    expect(stateOf(await home.text()).viewer.username).toBe(user.user.username);
  });

  it("counts form sign-ins against the same login rate limit (429 with Retry-After)", async () => {
    const user = await signup(uniqueName("flood"), PASSWORD);
    let last: Response | null = null;
    for (let i = 0; i < 12 && last?.status !== 429; i++) last = await postForm("/login", { username: user.user.username, password: "wrong password" });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(stateOf(await last!.text()).authError.code).toBe("RATE_LIMITED");
  });

  it("logs out: the session is revoked server-side and the browser is sent to /login", async () => {
    const user = await signup();
    const res = await postForm("/logout", {}, { cookie: user.cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login");
    expect(res.headers.get("set-cookie")).toMatch(/ef_session=;/);
    const me = await exports.default.fetch(new Request(`${BASE}/api/v1/auth/me`, { headers: { cookie: user.cookie } }));
    expect(me.status).toBe(401);
  });

  it("refuses cross-origin posts (login CSRF, forced log-out), other body types and oversized bodies", async () => {
    const user = await signup(uniqueName("csrf"), PASSWORD);
    const evil = { origin: "https://evil.example" };
    const login = await postForm("/login", { username: user.user.username, password: PASSWORD }, evil);
    expect(login.status).toBe(403);
    expect(login.headers.get("set-cookie")).toBeNull();
    const logout = await postForm("/logout", {}, { ...evil, cookie: user.cookie });
    expect(logout.status).toBe(403);
    expect((await user.get("/api/v1/auth/me")).status).toBe(200);

    const json = await postForm("/login", {}, { "content-type": "application/json" });
    expect(json.status).toBe(415);
    const huge = await postForm("/signup", { username: uniqueName("big"), password: PASSWORD, displayName: "x".repeat(70_000) });
    expect(huge.status).toBe(413);
  });
});
