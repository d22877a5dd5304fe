/**
 * API.md: DELETE /users/me {password}. When the 200 returns the account and everything it made
 * are invisible everywhere and the counts of others are corrected; the stored data is then erased
 * in the background by the account's UserFeed (durable-objects/user-feed/erasure.ts): its posts
 * out of followers' timelines and screens, every D1 row, its objects' storage. The erasure is a
 * durable job that resumes after a crash or a failed batch, and a celebrity with 10,000
 * followers is deleted without any request waiting for the erasure.
 */
import { env } from "cloudflare:workers";
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { anonymous, befriend, checkingPrepare, drainFanout, ids, inUserFeed, keyed, signup, timelineIds, uniqueName, type Client } from "./helpers";
import { connect, type Inbox } from "./socket-helpers";
import { bucketKeysOf, getMedia, mediaRowsOf, postWithMedia, uploaded } from "./media-helpers";

const PASSWORD = "correct horse battery";
const open: Inbox[] = [];
afterEach(() => open.splice(0).forEach((i) => i.close()));
const deleteAccount = (c: Client, password = PASSWORD) => c.request("DELETE", "/api/v1/users/me", { password });

/** Rows anywhere in D1 that belong to or point at `userId`. */
async function rowsOf(userId: string): Promise<Record<string, number>> {
  const tables: [string, string][] = [
    ["users", "id = ?1"],
    ["posts", "author_id = ?1"],
    ["likes", "user_id = ?1 OR author_id = ?1"],
    ["comments", "author_id = ?1 OR post_author_id = ?1"],
    ["follows", "follower_id = ?1 OR followee_id = ?1"],
    ["sessions", "user_id = ?1"],
    ["user_search_terms", "user_id = ?1"],
    ["blocks", "blocker_id = ?1 OR blocked_id = ?1"],
    ["mutes", "muter_id = ?1 OR muted_id = ?1"],
  ];
  const results = await env.DB.batch(tables.map(([t, where]) => env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE ${where}`).bind(userId)));
  return Object.fromEntries(tables.map(([t], i) => [t, (results[i].results[0] as { n: number }).n]).filter(([, n]) => n !== 0));
}

/** Runs the account's alarm until its erasure is over (its user row is the last thing erased but its storage). */
async function runErasure(userId: string, timeoutMs = 30_000): Promise<void> {
  const stub = env.USER_FEED.getByName(userId);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await runDurableObjectAlarm(stub); // a batch that failed waits for its backoff: nothing is due until then
    if ((await rowsOf(userId)).users === undefined && !(await runDurableObjectAlarm(stub))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("erasure did not finish");
}

/**
 * Holds the account's background erasure at its first D1 read (its alarm starts it at once), so a
 * test sees what the deletion itself made invisible, not what the erasure already removed.
 * Returns the release. (The object's env is the test's own env object: only that one statement fails.)
 */
async function holdErasure(userId: string): Promise<() => Promise<void>> {
  const realDb = env.DB;
  const held = checkingPrepare(realDb, (sql) => {
    if (sql === "SELECT is_pull_source, deleted_at FROM users WHERE id = ?") throw new Error("erasure held by the test"); // core/erasure.ts accountState
  });
  const setDb = (db: D1Database) => inUserFeed(userId, (instance) => void ((instance as unknown as { env: typeof env }).env.DB = db));
  await setDb(held);
  return () => setDb(realDb);
}

/** The tables left in an object's storage (SQLite's and the runtime's own excluded). */
const userTables = (state: DurableObjectState) =>
  state.storage.sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
    .toArray()
    .map((r) => r.name)
    .filter((n) => !n.startsWith("_cf_") && !n.startsWith("sqlite_"));

describe("DELETE /users/me", () => {
  it("401 INVALID_CREDENTIALS for a wrong password, 400 without one, 401 signed out: nothing changes", async () => {
    const a = await signup();
    const post = await a.createPost("still here");
    expect((await deleteAccount(a, "not my password")).code).toBe("INVALID_CREDENTIALS");
    expect((await a.del("/api/v1/users/me")).status).toBe(400);
    expect((await a.request("DELETE", "/api/v1/users/me", { password: 42 })).code).toBe("VALIDATION_ERROR");
    expect((await anonymous().request("DELETE", "/api/v1/users/me", { password: PASSWORD })).status).toBe(401);
    expect((await a.get(`/api/v1/posts/${post.id}`)).status).toBe(200);
    expect((await a.get(`/api/v1/users/${a.user.username}`)).status).toBe(200);
  });

  it("makes everything invisible at once with the counts of others corrected, then erases it all in the background", async () => {
    const [gone, friend, follower, followee, other] = [await signup(), await signup(), await signup(), await signup(), await signup()];
    await befriend(gone, friend);
    await follower.follow(gone.user.username);
    await gone.follow(followee.user.username);
    const mine = await gone.createPost("mine, public");
    const secret = await gone.createPost("mine, friends only", { privacy: "friends" });
    const theirs = await other.createPost("someone else's");
    await gone.post(`/api/v1/posts/${theirs.id}/like`);
    await gone.post(`/api/v1/posts/${theirs.id}/comments`, { content: "a comment that goes" }, keyed());
    await gone.post(`/api/v1/posts/${theirs.id}/share`, { content: "a share that goes" }, keyed());
    await friend.post(`/api/v1/posts/${mine.id}/like`);
    await friend.post(`/api/v1/posts/${mine.id}/comments`, { content: "on a post that goes" }, keyed());
    const reshare = (await follower.post(`/api/v1/posts/${mine.id}/share`, { content: "follower shares it" }, keyed())).data.post;
    await follower.post(`/api/v1/users/${gone.user.username}/mute`);
    for (const c of [gone, friend, follower]) await drainFanout(c.user.id);
    expect(await timelineIds(follower.user.id)).toContain(mine.id);
    const followerLive = await connect(follower);
    open.push(followerLive);
    followerLive.send({ type: "watch_posts", payload: { postIds: [mine.id] }, requestId: "w" });
    await followerLive.next((m) => m.correlationId === "w");
    // It follows a celebrity (5 followers is the test threshold), which holds its lease while it is online.
    const star = await signup();
    for (const f of [...(await Promise.all(Array.from({ length: 4 }, () => signup()))), gone]) await f.follow(star.user.username);
    await star.createPost("a star's post");
    await drainFanout(star.user.id);
    const goneLive = await connect(gone);
    open.push(goneLive);
    const leases = async () => (await env.CELEBRITY_FEED.getByName(star.user.id).inspect()).leases.map((l) => l.user_id);
    await expect.poll(leases, { timeout: 5000 }).toContain(gone.user.id);

    const release = await holdErasure(gone.user.id);
    const res = await deleteAccount(gone);
    expect([res.status, res.data]).toEqual([200, { deleted: true }]);
    expect(res.headers.get("set-cookie")).toMatch(/ef_session=;/);
    expect(await goneLive.closedWith()).toBe(4001);
    expect(await leases()).not.toContain(gone.user.id);
    // Invisible everywhere, before any background work.
    const name = gone.user.username;
    for (const viewer of [friend, follower, other]) {
      expect((await viewer.get(`/api/v1/users/${name}`)).status).toBe(404);
      expect((await viewer.get(`/api/v1/users/${name}/posts`)).status).toBe(404);
      for (const id of [mine.id, secret.id]) expect((await viewer.get(`/api/v1/posts/${id}`)).status).toBe(404);
      expect(JSON.stringify(await viewer.wholeFeed("latest"))).not.toContain(gone.user.id);
      expect(JSON.stringify(await viewer.wholeFeed("ranked"))).not.toContain(gone.user.id);
      expect(JSON.stringify((await viewer.get(`/api/v1/search/users?q=${name}`)).data)).not.toContain(gone.user.id);
      expect(JSON.stringify((await viewer.get("/api/v1/users/me/suggestions?limit=20")).data)).not.toContain(gone.user.id);
      expect(JSON.stringify((await viewer.get(`/api/v1/posts/${theirs.id}/comments`)).data)).not.toContain(gone.user.id);
    }
    expect((await follower.get(`/api/v1/posts/${reshare.id}`)).data.post.sharedPost).toBeNull();
    expect((await other.get(`/api/v1/posts/${theirs.id}`)).data.post).toMatchObject({ likeCount: 0, commentCount: 0, shareCount: 0 });
    const counts = async (c: Client) => (await c.get(`/api/v1/users/${c.user.username}`)).data.user;
    expect(await counts(friend)).toMatchObject({ followerCount: 0, followingCount: 0 });
    expect(await counts(follower)).toMatchObject({ followingCount: 0 });
    expect(await counts(followee)).toMatchObject({ followerCount: 0 });
    expect((await gone.get("/api/v1/auth/me")).status).toBe(401);
    expect((await new (gone.constructor as typeof Client)().post("/api/v1/auth/login", { username: name, password: PASSWORD })).status).toBe(401);
    // The name is free at once.
    expect((await signup(name)).user.username).toBe(name);

    // The erasure was held at its first D1 read: nothing above is its doing. Now let it run.
    expect(await rowsOf(gone.user.id)).toMatchObject({ users: 1, posts: 3 });
    await release();
    // The background erasure: screens, timelines, every row, the object's storage.
    await runErasure(gone.user.id);
    await followerLive.next((m) => m.type === "post_update" && m.payload.deleted === true && m.payload.postId === mine.id);
    expect(await timelineIds(follower.user.id)).not.toContain(mine.id);
    expect(await rowsOf(gone.user.id)).toEqual({});
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM likes WHERE post_id = ?").bind(mine.id).first<{ n: number }>())?.n).toBe(0);
    expect((await other.get(`/api/v1/posts/${theirs.id}`)).data.post).toMatchObject({ likeCount: 0, commentCount: 0, shareCount: 0 });
    expect((await follower.get(`/api/v1/posts/${reshare.id}`)).status).toBe(200); // others' shares keep their own text
    expect(await inUserFeed(gone.user.id, (_i, state) => userTables(state))).toEqual([]);
  });
});

describe("erasing a celebrity with 10,000 followers", () => {
  it("answers without waiting for the erasure, corrects every count at once, and resumes the erasure after a failed batch and a crash", async () => {
    const star = await signup(uniqueName("star"));
    const fan = await signup(); // a real follower with a session
    await fan.follow(star.user.username);
    const FANS = 10_000;
    const now = Date.now();
    // 10,000 more followers written straight to D1 (sign-ups would spend minutes hashing passwords);
    // 40 of them active, so their timelines are the erasure's targets.
    await env.DB.batch([
      env.DB.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO users (id, username, display_name, password_hash, last_active_at, created_at, following_count)
         SELECT printf('zfan%05d', i), printf('zfan_%05d', i), 'Fan', '!', CASE WHEN i <= 40 THEN ?2 ELSE 0 END, ?2, 1 FROM n`,
      ).bind(FANS, now),
      env.DB.prepare("INSERT INTO follows (follower_id, followee_id, created_at) SELECT id, ?1, ?2 FROM users WHERE id LIKE 'zfan%'").bind(star.user.id, now),
      env.DB.prepare("UPDATE users SET follower_count = follower_count + ?2 WHERE id = ?1").bind(star.user.id, FANS),
    ]);
    const posts = [];
    for (let i = 0; i < 5; i++) posts.push(await star.createPost(`star post ${i}`)); // pulled: a celebrity
    await drainFanout(star.user.id);
    // 5,000 likes and 2,500 comments on its posts: several bounded batches each.
    await env.DB.batch(
      posts.flatMap((p) => [
        env.DB.prepare("INSERT INTO likes (post_id, user_id, author_id, created_at) SELECT ?1, id, ?2, ?3 FROM users WHERE id LIKE 'zfan%' AND id <= 'zfan01000'").bind(p.id, star.user.id, now),
        env.DB.prepare(
          "INSERT INTO comments (id, post_id, author_id, post_author_id, content, created_at) SELECT ?1 || id, ?1, id, ?2, 'wow', ?3 FROM users WHERE id LIKE 'zfan%' AND id <= 'zfan00500'",
        ).bind(p.id, star.user.id, now),
      ]),
    );
    const other = await signup();
    const theirs = await other.createPost("liked by the star");
    await star.post(`/api/v1/posts/${theirs.id}/like`);
    expect((await star.get(`/api/v1/users/${star.user.username}`)).data.user.followerCount).toBe(FANS + 1);

    // A failed batch on the way: D1 fails on the erasure's second bounded delete of likes (the
    // erasure starts on its own, from the alarm, as soon as the deletion commits).
    const realDb = env.DB;
    let likeBatches = 0;
    const failing = checkingPrepare(realDb, (sql) => {
      if (sql.startsWith("DELETE FROM likes WHERE rowid") && ++likeBatches === 2) throw new Error("injected D1 failure");
    });
    const setDb = (db: D1Database) => inUserFeed(star.user.id, (instance) => void ((instance as unknown as { env: typeof env }).env.DB = db));
    await setDb(failing);

    const started = Date.now();
    const res = await deleteAccount(star);
    const ms = Date.now() - started;
    expect(res.status).toBe(200);
    console.log(`DELETE /users/me of a celebrity with ${FANS + 1} followers, 5,000 likes and 2,500 comments on its posts: 200 in ${ms} ms`);
    expect(ms).toBeLessThan(10_000);
    const stale = await realDb.prepare("SELECT COUNT(*) AS n FROM users WHERE id LIKE 'zfan%' AND following_count <> 0").first<{ n: number }>();
    expect(stale?.n).toBe(0);
    expect((await fan.get(`/api/v1/posts/${posts[0].id}`)).status).toBe(404);
    expect((await other.get(`/api/v1/posts/${theirs.id}`)).data.post.likeCount).toBe(0);
    expect((await fan.get(`/api/v1/users/${fan.user.username}`)).data.user.followingCount).toBe(0);

    // The failed batch: the job keeps its place (rows under way) and backs off.
    await expect.poll(async () => (await env.USER_FEED.getByName(star.user.id).inspect()).jobs[0]?.attempts ?? 0, { timeout: 15_000 }).toBe(1);
    const failed = (await env.USER_FEED.getByName(star.user.id).inspect()).jobs;
    expect(failed).toHaveLength(1);
    expect(failed[0].kind).toBe("erase");
    expect(failed[0].lastError).toContain("injected D1 failure");
    expect(JSON.parse(failed[0].cursor)).toMatchObject({ step: 3, part: 0 }); // timelines, celebrity and media done, likes under way
    await setDb(realDb);
    // A crash: the instance goes, its storage stays; the next alarm resumes from the saved cursor.
    await evictDurableObject(env.USER_FEED.getByName(star.user.id));
    await expect.poll(async () => (await rowsOf(star.user.id)).users ?? 0, { timeout: 20_000 }).toBe(0);
    expect(await rowsOf(star.user.id)).toEqual({});
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM likes WHERE author_id = ?").bind(star.user.id).first<{ n: number }>())?.n).toBe(0);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE id LIKE 'zfan%'").first<{ n: number }>())?.n).toBe(FANS); // the fans stay
    expect((await other.get(`/api/v1/posts/${theirs.id}`)).data.post.likeCount).toBe(0); // corrected once, not twice
    expect(ids((await fan.get("/api/v1/feed?mode=latest")).data.posts)).toEqual([]);
  });
});

describe("DELETE /users/me and photos", () => {
  it("erases the account's photos from R2 and D1 (posted, unposted and the avatar), and they 404 at once", async () => {
    const me = await signup(uniqueName("pics"), PASSWORD);
    const posted = await uploaded(me);
    const loose = await uploaded(me);
    const avatar = await uploaded(me);
    await postWithMedia(me, [{ id: posted.id, alt: "a photo" }]);
    expect((await me.patch("/api/v1/users/me", { avatarMediaId: avatar.id })).status).toBe(200);
    expect((await bucketKeysOf(me.user.id)).length).toBe(3);
    const stranger = await signup();
    expect((await getMedia(stranger, posted.url)).status).toBe(200);
    expect((await deleteAccount(me)).status).toBe(200);
    expect((await getMedia(stranger, posted.url)).status).toBe(404);
    await runErasure(me.user.id);
    expect(await bucketKeysOf(me.user.id)).toEqual([]);
    expect(await mediaRowsOf(me.user.id)).toHaveLength(0);
    for (const m of [posted, loose]) expect((await getMedia(stranger, m.url)).status).toBe(404);
  });
});
