/**
 * API.md "Passwords": at least 8 characters, not only spaces or control characters, not the
 * username, not one of the commonest passwords; else 400 WEAK_PASSWORD. Through the real sign-up
 * route (API and form), and the one rule (worker/lib/passwords.ts) on its own.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { passwordProblem } from "../../worker/lib/passwords";
import { anonymous, BASE, testIp, uniqueName } from "./helpers";

const signupWith = (password: string, username = uniqueName("pw")) =>
  anonymous().post("/api/v1/auth/signup", { username, password, displayName: "P" }, { "CF-Connecting-IP": testIp() });

const usersNamed = (username: string) => env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE username = ?").bind(username).first<number>("n");

describe("sign-up refuses weak passwords with 400 WEAK_PASSWORD", () => {
  it.each([
    ["a common one", "password", "common"],
    ["a common one of digits", "12345678", "common"],
    ["a common one, in capitals and padded", " ILoveYou ", "common"],
    ["seven characters", "q7#vZ2!", "too_short"],
    ["four emoji (four characters, eight UTF-16 units)", "🔑🔑🔑🔑", "too_short"],
    ["eight spaces", "        ", "blank"],
    ["eight NULs", "\u0000".repeat(8), "blank"],
    ["tabs, newlines and zero-width spaces", "\t\n\u200b\u200b\t\n\u200b\u00a0", "blank"],
    // Padding and invisible characters do not make a weak password strong (the attacker's pass).
    ["a short common one padded with spaces", "qwerty  ", "too_short"],
    ["seven digits and a space", "1234567 ", "too_short"],
    ["one letter and seven spaces", "       a", "too_short"],
    ["a common one with a zero-width space", "password\u200b", "common"],
    ["a common one split by a soft hyphen", "passw\u00adord", "common"],
    ["one letter and seven zero-width spaces", "a" + "\u200b".repeat(7), "too_short"],
    ["eight Hangul fillers", "\u3164".repeat(8), "blank"],
    ["full-width letters of a common one (NFKC)", "ｐａｓｓｗｏｒｄ", "common"],
  ])("%s", async (_what, password, reason) => {
    const username = uniqueName("pw");
    const res = await signupWith(password, username);
    expect(res.status).toBe(400);
    expect(res.code).toBe("WEAK_PASSWORD");
    expect((res.body as any).error.details).toEqual({ reason });
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await usersNamed(username)).toBe(0);
  });

  it("the username itself, in any letter case, with or without invisible characters", async () => {
    const username = uniqueName("samename").padEnd(12, "x");
    for (const password of [username, username.toUpperCase(), `${username}\u200b`, ` ${username} `]) {
      const res = await signupWith(password, username);
      expect(res.status).toBe(400);
      expect(res.code).toBe("WEAK_PASSWORD");
      expect((res.body as any).error.details).toEqual({ reason: "username" });
    }
  });

  it("the HTML sign-up form follows the same rule", async () => {
    const username = uniqueName("formpw");
    const res = await exports.default.fetch(
      new Request(`${BASE}/signup`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE, "CF-Connecting-IP": testIp() },
        body: new URLSearchParams({ username, password: "12345678", displayName: "F" }).toString(),
      }),
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("WEAK_PASSWORD");
    expect(await usersNamed(username)).toBe(0);
  });

  it("a good password still works, and signs in", async () => {
    const username = uniqueName("good");
    for (const password of ["correct horse battery", "q7#vZ2!k", "пароль-для-меня"]) {
      const name = `${username}${password.length}`.slice(0, 30);
      const res = await signupWith(password, name);
      expect(res.status, password).toBe(201);
      expect((await anonymous().post("/api/v1/auth/login", { username: name, password })).status).toBe(200);
    }
  });
});

describe("passwordProblem (the one rule)", () => {
  it("uses the shipped list of common passwords, not a handful typed here", async () => {
    for (const common of ["iloveyou", "sunshine", "trustno1", "baseball1", "qwertyuiop", "1qaz2wsx"])
      expect((await passwordProblem(common, "someone"))?.reason, common).toBe("common");
  });

  it("answers null for an acceptable password", async () => {
    expect(await passwordProblem("correct horse battery", "someone")).toBeNull();
    expect(await passwordProblem("someone-else", "someone")).toBeNull(); // contains the username: allowed
  });
});
