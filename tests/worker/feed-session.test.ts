/**
 * Feed reads check the session in the viewer's UserFeed, not in D1 first (worker/routes/feed.ts,
 * worker/lib/session-cookie.ts, durable-objects/user-feed/sessions.ts). What a user or an attacker
 * would observe: the same 401s as everywhere else, log-out effective at once, and a cookie naming
 * another user (or a made-up one) refused.
 */
import { env } from "cloudflare:workers";
import { listDurableObjectIds } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../schema/ids";
import { newSessionToken, sha256Hex } from "../../worker/lib/crypto";
import { signSessionCookie } from "../../worker/lib/session-cookie";
import { Client, signup } from "./helpers";

const parts = (cookie: string) => cookie.replace(/^ef_session=/, "").split(".");
const withCookie = (value: string) => Object.assign(new Client(), { cookie: `ef_session=${value}` });

describe("feed reads and the session", () => {
  it("a session the UserFeed has already accepted stops working there the moment the user logs out", async () => {
    const user = await signup();
    await user.createPost("before log-out");
    expect((await user.get("/api/v1/feed")).status).toBe(200);
    expect((await user.get("/api/v1/feed/updates?since=" + (await user.get("/api/v1/feed")).data.pagination.newestCursor)).status).toBe(200);
    const kept = withCookie(parts(user.cookie).join("."));
    expect((await user.post("/api/v1/auth/logout")).status).toBe(200);
    for (const path of ["/api/v1/feed", "/api/v1/feed?mode=latest", "/api/v1/feed/updates?since=x"]) {
      const res = await kept.get(path);
      expect(res.status, path).toBe(401);
      expect(res.code).toBe("UNAUTHENTICATED");
    }
  });

  it("refuses a cookie whose user id was swapped for another user's (the signature no longer matches)", async () => {
    const alice = await signup();
    const bob = await signup();
    await bob.createPost("bob's own feed");
    const [, token, mac] = parts(alice.cookie);
    const swapped = withCookie(`${bob.user.id}.${token}.${mac}`);
    expect((await swapped.get("/api/v1/feed")).status).toBe(401);
    expect((await swapped.get("/api/v1/auth/me")).status).toBe(401);
  });

  it("refuses a validly signed cookie that pairs one user's token with another user's id", async () => {
    const alice = await signup();
    const bob = await signup();
    const [, token] = parts(alice.cookie);
    // Signed with the server's own key: as if the key had leaked. The token still has to match.
    const mixed = withCookie(await signSessionCookie(env.DB, bob.user.id, token));
    const feed = await mixed.get("/api/v1/feed");
    expect(feed.status).toBe(401);
    expect(feed.code).toBe("UNAUTHENTICATED");
    expect((await mixed.get("/api/v1/auth/me")).status).toBe(401);
    // Alice's own cookie still works.
    expect((await alice.get("/api/v1/feed")).status).toBe(200);
  });

  it("refuses a session that expired in D1", async () => {
    const user = await signup();
    const [, token] = parts(user.cookie);
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE token_hash = ?").bind(Date.now() - 1, await sha256Hex(token)).run();
    expect((await user.get("/api/v1/feed")).status).toBe(401);
    expect((await user.get("/api/v1/auth/me")).status).toBe(401);
  });

  it("never wakes or creates an object for a made-up user id", async () => {
    const madeUp = newId();
    const forged = withCookie(`${madeUp}.${newSessionToken()}.${"A".repeat(43)}`);
    expect((await forged.get("/api/v1/feed")).status).toBe(401);
    expect((await forged.get("/api/v1/feed/updates?since=x")).status).toBe(401);
    const target = env.USER_FEED.idFromName(madeUp).toString();
    expect((await listDurableObjectIds(env.USER_FEED)).map((id) => id.toString())).not.toContain(target);
    for (const junk of ["", "x", `${madeUp}.short.mac`, `${madeUp}..`, "a.b.c.d", "%00.%00.%00"]) {
      expect((await withCookie(junk).get("/api/v1/feed")).status, junk).toBe(401);
    }
  });
});
