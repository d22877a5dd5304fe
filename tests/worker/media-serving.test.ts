/**
 * GET /media/:id with the post's privacy (real worker, D1, R2, objects): who gets the bytes, with
 * which headers; a deleted post's images 404 at once and their storage goes by the author's media
 * sweep (a durable job); uploads never posted go after 24 hours; avatars are public while they are.
 */
import { env, exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { removeOwnerMediaBytes } from "../../core/media/records";
import { anonymous, BASE, befriend, inUserFeed, keyed, signup, type Client } from "./helpers";
import { bucketKeysOf, getMedia, mediaRow, postWithMedia, storedBytes, uploaded } from "./media-helpers";
import { BASE_PNG, BASE_WEBP, phoneJpeg } from "../fixtures/images";

const status = async (client: Client | null, url: string) => (await getMedia(client, url)).status;

/** The user's media sweep jobs, as the object holds them. */
const sweeps = (userId: string) => inUserFeed(userId, (feed) => feed.jobs.list().filter((j) => j.kind === "media_sweep"));

/** Makes every upload of `userId` `hours` older in D1 and brings the user's media sweep due now, then runs the alarm. */
async function timePasses(userId: string, hours: number) {
  await env.DB.prepare("UPDATE media SET created_at = created_at - ? WHERE owner_id = ?").bind(hours * 3_600_000, userId).run();
  await inUserFeed(userId, (feed) => feed.jobs.ensure("media_sweep", Date.now(), Date.now()));
  await runSweeps(userId);
}

async function runSweeps(userId: string) {
  const stub = env.USER_FEED.getByName(userId);
  for (let i = 0; i < 20; i++) {
    const due = (await sweeps(userId)).filter((j) => j.nextRunAt <= Date.now());
    if (due.length === 0) return;
    await runDurableObjectAlarm(stub);
  }
  throw new Error("the media sweep did not finish");
}

describe("who gets an image", () => {
  it("a public post's image: anyone, signed in or not, cacheable for a day", async () => {
    const [author, stranger] = [await signup(), await signup()];
    const m = await uploaded(author, phoneJpeg());
    await postWithMedia(author, [{ id: m.id, alt: "public" }]);
    for (const viewer of [author, stranger, null]) {
      const res = await getMedia(viewer, m.url);
      expect(res.status).toBe(200);
      expect(Object.fromEntries(["content-type", "cache-control", "x-content-type-options", "content-disposition"].map((h) => [h, res.headers.get(h)]))).toEqual({
        "content-type": "image/jpeg",
        "cache-control": "public, max-age=86400",
        "x-content-type-options": "nosniff",
        "content-disposition": "inline",
      });
      expect(res.headers.get("content-security-policy")).toContain("sandbox");
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(await storedBytes(m.id));
    }
  });

  it("a friends-only post's image: the author and friends only, private; strangers, one-way follows either way and nobody signed in get 404", async () => {
    const [author, friend, follower, followee, stranger] = [await signup(), await signup(), await signup(), await signup(), await signup()];
    await befriend(author, friend);
    await follower.follow(author.user.username);
    await author.follow(followee.user.username);
    const m = await uploaded(author, BASE_PNG, "image/png");
    await postWithMedia(author, [{ id: m.id }], { privacy: "friends" });
    for (const viewer of [author, friend]) {
      const res = await getMedia(viewer, m.url);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("private, no-cache");
      expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    }
    for (const viewer of [follower, followee, stranger, null]) {
      const res = await getMedia(viewer, m.url);
      expect(res.status).toBe(404);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect((await res.json<any>()).error.code).toBe("NOT_FOUND");
    }
    // An unfriending takes it away at once (no-cache: the browser asks every time).
    await friend.del(`/api/v1/users/${author.user.username}/follow`);
    expect(await status(friend, m.url)).toBe(404);
  });

  it("an upload not yet in a post: its uploader only", async () => {
    const [me, other] = [await signup(), await signup()];
    const m = await uploaded(me);
    const mine = await getMedia(me, m.url);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("cache-control")).toBe("private, no-cache");
    expect(await status(other, m.url)).toBe(404);
    expect(await status(null, m.url)).toBe(404);
  });

  it("a cookie that is not a live session is nobody: a logged-out or forged cookie gets 404 for private images", async () => {
    const me = await signup();
    const m = await uploaded(me);
    // The session cookie alone (the client also holds the D1 bookmark cookie, worker/lib/d1.ts).
    const cookie = me.cookie.split("; ").find((c) => c.startsWith("ef_session="))!;
    const forged = Object.assign(anonymous(), { cookie: cookie.replace(/\.[^.]+$/, ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") });
    expect(await status(forged, m.url)).toBe(404);
    await me.post("/api/v1/auth/logout");
    const stale = Object.assign(anonymous(), { cookie });
    expect(await status(stale, m.url)).toBe(404);
  });

  it("HEAD answers the headers without the bytes", async () => {
    const me = await signup();
    const m = await uploaded(me);
    const res = await exports.default.fetch(new Request(`${BASE}${m.url}`, { method: "HEAD", headers: { cookie: me.cookie } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it("malformed and unknown ids are 404", async () => {
    const me = await signup();
    for (const url of ["/media/nope", "/media/01JZZZZZZZZZZZZZZZZZZZZZZZ", "/media/..%2F..%2Fetc", "/media/" + "A".repeat(300)]) expect(await status(me, url)).toBe(404);
  });

  it("answers a matching If-None-Match with 304 and no body, after checking access again", async () => {
    const [author, friend, stranger] = [await signup(), await signup(), await signup()];
    await befriend(author, friend);
    const m = await uploaded(author, BASE_WEBP, "image/webp");
    await postWithMedia(author, [{ id: m.id }], { privacy: "friends" });
    const first = await getMedia(friend, m.url);
    const etag = first.headers.get("etag")!;
    expect(etag).toBeTruthy();
    const again = await getMedia(friend, m.url, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("cache-control")).toBe("private, no-cache");
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    expect((await getMedia(stranger, m.url, { "if-none-match": etag })).status).toBe(404);
  });
});

describe("removal", () => {
  it("a deleted post's images 404 at once for everyone; the author's media sweep removes bytes and rows", async () => {
    const [author, friend] = [await signup(), await signup()];
    await befriend(author, friend);
    const [a, b] = [await uploaded(author), await uploaded(author, BASE_PNG, "image/png")];
    const keep = await uploaded(author, BASE_WEBP, "image/webp");
    const post = await postWithMedia(author, [{ id: a.id }, { id: b.id }]);
    await postWithMedia(author, [{ id: keep.id }]);
    expect((await author.del(`/api/v1/posts/${post.id}`)).status).toBe(200);
    for (const viewer of [author, friend, null]) {
      expect(await status(viewer, a.url)).toBe(404);
      expect(await status(viewer, b.url)).toBe(404);
    }
    // Hidden by the same batch as the delete; the sweep it asked for (due now) may already have run.
    const row = await mediaRow(a.id);
    expect(row === null || row.deleted_at !== null).toBe(true);
    await runSweeps(author.user.id);
    expect(await mediaRow(a.id)).toBeNull();
    expect(await mediaRow(b.id)).toBeNull();
    expect(await bucketKeysOf(author.user.id)).toEqual([(await mediaRow(keep.id))!.storage_key]);
    expect(await status(friend, keep.url)).toBe(200);
  });

  it("an upload never posted is removed after 24 hours, one still in its hours waits, a posted one stays", async () => {
    const me = await signup();
    const [old, posted] = [await uploaded(me), await uploaded(me)];
    await postWithMedia(me, [{ id: posted.id }]);
    // Each upload asked for a sweep when its 24 hours end: one job waits for them.
    const waiting = await sweeps(me.user.id);
    expect(waiting).toHaveLength(1);
    expect(waiting[0].nextRunAt).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    await timePasses(me.user.id, 25);
    const fresh = await uploaded(me);
    await runSweeps(me.user.id);
    expect(await mediaRow(old.id)).toBeNull();
    expect(await status(me, old.url)).toBe(404);
    expect(await mediaRow(posted.id)).not.toBeNull();
    expect(await status(me, fresh.url)).toBe(200);
    expect(await bucketKeysOf(me.user.id)).toHaveLength(2);
    // The sweep that ran saw `fresh` within its hours and waits for it.
    const next = await sweeps(me.user.id);
    expect(next).toHaveLength(1);
    expect(next[0].nextRunAt).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    await timePasses(me.user.id, 25);
    expect(await mediaRow(fresh.id)).toBeNull();
    expect(await sweeps(me.user.id)).toEqual([]);
  });

  it("a sweep that fails (R2 or D1 down) is retried by the job queue, and nothing is lost meanwhile", async () => {
    const me = await signup();
    const m = await uploaded(me);
    await env.DB.prepare("UPDATE media SET created_at = created_at - 25 * 3600000 WHERE id = ?").bind(m.id).run();
    await inUserFeed(me.user.id, async (feed, state) => {
      feed.jobs.ensure("media_sweep", Date.now(), Date.now());
      const job = feed.jobs.nextDue(Date.now())!;
      feed.jobs.fail(job.id, new Error("R2 unavailable"), Date.now());
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    const [job] = await sweeps(me.user.id);
    expect(job).toMatchObject({ attempts: 1, lastError: "Error: R2 unavailable" });
    expect(await mediaRow(m.id)).not.toBeNull();
    await inUserFeed(me.user.id, (feed) => feed.jobs.again(job.id, Date.now()));
    await runSweeps(me.user.id);
    expect(await mediaRow(m.id)).toBeNull();
  });
});

describe("account deletion's part", () => {
  it("removeOwnerMediaBytes empties the owner's prefix in pages, whatever D1 still holds, and nobody else's", async () => {
    const [me, other] = [await signup(), await signup()];
    for (let i = 0; i < 3; i++) await uploaded(me);
    const theirs = await uploaded(other);
    expect(await removeOwnerMediaBytes(env.MEDIA, me.user.id, 2)).toEqual({ removed: 2, more: true });
    expect(await removeOwnerMediaBytes(env.MEDIA, me.user.id, 2)).toEqual({ removed: 1, more: false });
    expect(await bucketKeysOf(me.user.id)).toEqual([]);
    expect(await status(other, theirs.url)).toBe(200);
  });
});

describe("avatars", () => {
  it("PATCH /users/me {avatarMediaId}: sets avatarUrl, the upload becomes public and stays while it is the avatar", async () => {
    const [me, other] = [await signup(), await signup()];
    const m = await uploaded(me, BASE_PNG, "image/png");
    expect(await status(other, m.url)).toBe(404);
    const res = await me.patch("/api/v1/users/me", { avatarMediaId: m.id, displayName: "With Face" });
    expect(res.status).toBe(200);
    expect(res.data.user).toMatchObject({ avatarUrl: `/media/${m.id}`, displayName: "With Face" });
    expect((await other.get(`/api/v1/users/${me.user.username}`)).data.user.avatarUrl).toBe(`/media/${m.id}`);
    const served = await getMedia(null, m.url);
    expect(served.status).toBe(200);
    expect(served.headers.get("cache-control")).toBe("public, max-age=86400");
    // Days later it is still there: an avatar is never swept.
    await timePasses(me.user.id, 72);
    expect(await status(other, m.url)).toBe(200);
    // Setting it again is fine, even past its first 24 hours.
    expect((await me.patch("/api/v1/users/me", { avatarMediaId: m.id })).status).toBe(200);
  });

  it("a replaced avatar upload becomes private again and goes with the next sweep past its 24 hours", async () => {
    const me = await signup();
    const first = await uploaded(me);
    await me.patch("/api/v1/users/me", { avatarMediaId: first.id });
    await env.DB.prepare("UPDATE media SET created_at = created_at - 48 * 3600000 WHERE id = ?").bind(first.id).run();
    const second = await uploaded(me);
    expect((await me.patch("/api/v1/users/me", { avatarMediaId: second.id })).data.user.avatarUrl).toBe(`/media/${second.id}`);
    expect(await status(null, first.url)).toBe(404);
    // The replacement asked for a sweep now.
    await runSweeps(me.user.id);
    expect(await mediaRow(first.id)).toBeNull();
    expect(await status(null, second.url)).toBe(200);
    // Back to a plain URL: the second is no longer the avatar.
    expect((await me.patch("/api/v1/users/me", { avatarUrl: "https://img.example/me.png" })).data.user.avatarUrl).toBe("https://img.example/me.png");
    expect(await status(null, second.url)).toBe(404);
  });

  it("400 INVALID_MEDIA for someone else's upload, a posted one, an unknown id; nothing else in the edit is applied", async () => {
    const [me, other] = [await signup(), await signup()];
    const theirs = await uploaded(other);
    const posted = await uploaded(me);
    await postWithMedia(me, [{ id: posted.id }]);
    for (const avatarMediaId of [theirs.id, posted.id, "01JZZZZZZZZZZZZZZZZZZZZZZZ"]) {
      const res = await me.patch("/api/v1/users/me", { avatarMediaId, displayName: "Should Not Stick" });
      expect([res.status, res.code]).toEqual([400, "INVALID_MEDIA"]);
    }
    const profile = (await me.get(`/api/v1/users/${me.user.username}`)).data.user;
    expect(profile).toMatchObject({ displayName: me.user.displayName, avatarUrl: null });
    const both = await me.patch("/api/v1/users/me", { avatarMediaId: posted.id, avatarUrl: "https://img.example/x.png" });
    expect([both.status, both.code]).toEqual([400, "VALIDATION_ERROR"]);
    // avatarUrl cannot point at our media path by hand (it must be an http(s) URL).
    expect((await me.patch("/api/v1/users/me", { avatarUrl: `/media/${theirs.id}` })).code).toBe("VALIDATION_ERROR");
  });

  it("is idempotent with a key like every mutation", async () => {
    const me = await signup();
    const m = await uploaded(me);
    const key = keyed();
    const [a, b] = [await me.patch("/api/v1/users/me", { avatarMediaId: m.id }, key), await me.patch("/api/v1/users/me", { avatarMediaId: m.id }, key)];
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.headers.get("x-idempotency-replayed")).toBe("true");
  });
});
