/**
 * Operator API (worker/routes/admin.ts): auth (no token configured, missing, wrong, right), the
 * state of a user's objects (timeline, sockets, idempotency records, pending fan-out, celebrity
 * outbox and leases), the system summary, and the timeline rebuild the seed uses.
 */
import { env, exports } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import type { UserFeed } from "../../durable-objects/UserFeed";
import { checkedFetch } from "./contract";
import { BASE, drainFanout, signup, type Client } from "./helpers";

const TOKEN = "test-admin-token";

function admin(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? TOKEN : init.token;
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  return exports.default.fetch(new Request(`${BASE}/api/v1/admin${path}`, { ...init, headers }));
}

async function state(username: string) {
  const res = await admin(`/users/${username}/state`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { success: true; data: any };
  expect(body.success).toBe(true);
  return body.data;
}

async function openSocket(client: Client): Promise<WebSocket> {
  const res = await checkedFetch(new Request(`${BASE}/api/v1/ws`, { headers: { Upgrade: "websocket", cookie: client.cookie } }));
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const acked = new Promise<void>((resolve) =>
    ws.addEventListener("message", (e) => {
      if (typeof e.data === "string" && e.data.includes("connection_ack")) resolve();
    }),
  );
  ws.accept();
  await acked;
  return ws;
}

describe("admin auth", () => {
  it("does not exist (404) when no ADMIN_TOKEN is configured", async () => {
    const res = await app.fetch(new Request(`${BASE}/api/v1/admin/system`, { headers: { authorization: `Bearer ${TOKEN}` } }), {
      ...env,
      ADMIN_TOKEN: undefined,
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.code).toBe("NOT_FOUND");
  });

  it("answers 401 without credentials, with a Bearer challenge", async () => {
    const res = await admin("/system", { token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(((await res.json()) as any).error.code).toBe("UNAUTHENTICATED");
  });

  it("answers 403 to a wrong token (also a prefix of the right one, and a non-Bearer scheme)", async () => {
    for (const authorization of [`Bearer wrong-token`, `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Basic ${btoa(`admin:${TOKEN}`)}`]) {
      const res = await admin("/system", { token: null, headers: { authorization } });
      expect(res.status, authorization).toBe(403);
      expect(((await res.json()) as any).error.code).toBe("FORBIDDEN");
    }
  });

  it("answers 200 to the right token, in the envelope, with a request id", async () => {
    const res = await admin("/system");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const body = (await res.json()) as any;
    expect(body.success).toBe(true);
    expect(body.data.system).toMatchObject({ users: expect.any(Number), follows: expect.any(Number), posts: expect.any(Number) });
    expect(body.data.system.config.celebrityThreshold).toBe(5);
  });

  it("404s an unknown user with USER_NOT_FOUND", async () => {
    const res = await admin("/users/nobody_here_at_all/state");
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.code).toBe("USER_NOT_FOUND");
  });
});

describe("user state", () => {
  it("shows timeline, sockets, idempotency records and a pending fan-out job", async () => {
    const alice = await signup();
    const bob = await signup();
    const carol = await signup();
    await bob.follow(alice.user.username);
    await carol.follow(alice.user.username);
    const ws = await openSocket(alice);
    const key = crypto.randomUUID();
    const posted = await alice.post("/api/v1/posts", { content: "inspect me" }, { "X-Idempotency-Key": key });
    expect(posted.status).toBe(201);
    const postId = posted.data.post.id as string;
    await drainFanout(alice.user.id);
    // A fan-out job that is pending: due in a minute, one batch already done.
    const stub = env.USER_FEED.getByName(alice.user.id);
    await runInDurableObject(stub, (instance: UserFeed) => {
      instance.jobs.enqueue("push", postId, { post: posted.data.post }, Date.now() + 60_000);
      const job = instance.jobs.list()[0];
      instance.jobs.saveProgress(job.id, bob.user.id, 1);
    });

    const data = await state(alice.user.username);
    expect(data.user).toMatchObject({ id: alice.user.id, username: alice.user.username, followerCount: 2, postCount: 1, isCelebrity: false, activeWithinWindow: true });
    expect(data.celebrityFeed).toBeNull();
    const feed = data.userFeed;
    expect(feed.userId).toBe(alice.user.id);
    expect(feed.timeline.size).toBe(1);
    expect(feed.timeline.newest[0]).toMatchObject({ postId, authorId: alice.user.id });
    expect(feed.sockets).toHaveLength(1);
    expect(feed.sockets[0]).toMatchObject({ id: expect.any(String), connectedAt: expect.any(Number), subscriptions: [] });
    expect(feed.idempotency.count).toBe(1);
    expect(feed.idempotency.newest[0]).toMatchObject({ key, state: "done", status: 201, scope: "POST /api/v1/posts" });
    expect(feed.idempotency.newest[0].expiresAt - feed.idempotency.newest[0].createdAt).toBe(24 * 3_600_000);
    expect(feed.jobs).toHaveLength(1);
    expect(feed.jobs[0]).toMatchObject({ kind: "push", postId, cursor: bob.user.id, delivered: 1, batches: 1, attempts: 0 });
    expect(feed.jobs[0].payload).toBeUndefined();
    expect(feed.jobs[0].nextRunAt).toBeGreaterThan(Date.now());
    expect(typeof feed.alarm).toBe("number");
    expect(Array.isArray(feed.snapshots)).toBe(true);
    expect(data.system.users).toBeGreaterThanOrEqual(3);
    expect(data.system.posts).toBeGreaterThanOrEqual(1);

    // Followers' objects hold the delivered post.
    const bobState = await state(bob.user.username);
    expect(bobState.userFeed.timeline.newest.map((e: { postId: string }) => e.postId)).toContain(postId);
    expect(bobState.userFeed.sockets).toHaveLength(0);

    ws.close(1000, "done");
    await runInDurableObject(stub, (instance: UserFeed) => {
      for (const job of instance.jobs.list()) instance.jobs.finish(job.id);
    });
  });

  it("adds the CelebrityFeed (outbox, leases) for a celebrity", async () => {
    const star = await signup();
    const fans = await Promise.all(Array.from({ length: 5 }, () => signup()));
    for (const fan of fans) await fan.follow(star.user.username);
    const post = await star.createPost("I am famous now");
    await drainFanout(star.user.id);
    const data = await state(star.user.username);
    expect(data.user).toMatchObject({ isCelebrity: true, isPullSource: true, followerCount: 5 });
    expect(data.celebrityFeed).toMatchObject({ authorId: star.user.id, outboxSize: 1, leases: expect.any(Array) });
    expect(data.celebrityFeed.outboxNewest[0]).toMatchObject({ post_id: post.id, privacy: "public" });
    expect(data.system.celebrities).toBeGreaterThanOrEqual(1);
  });
});

describe("timeline rebuild", () => {
  it("rebuilds timelines through UserFeed.rebuildTimeline() and validates its body", async () => {
    const author = await signup();
    const reader = await signup();
    await reader.follow(author.user.username);
    const post = await author.createPost("to be rebuilt");
    const stub = env.USER_FEED.getByName(reader.user.id);
    await runInDurableObject(stub, (instance: UserFeed) => instance.timeline.replace([], true));
    expect((await stub.inspect()).timeline.size).toBe(0);

    const res = await admin("/timelines/rebuild", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userIds: [reader.user.id] }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.data).toMatchObject({ rebuilt: 1, failed: [], entries: 1 });
    expect((await stub.inspect()).timeline.newest[0].postId).toBe(post.id);

    for (const bad of [{}, { userIds: [] }, { userIds: Array.from({ length: 101 }, (_, i) => `u${i}`) }]) {
      const r = await admin("/timelines/rebuild", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(bad) });
      expect(r.status).toBe(400);
    }
    const unauth = await admin("/timelines/rebuild", { token: "nope", method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(unauth.status).toBe(403);
  });
});

describe("/admin page", () => {
  it("serves a self-contained page that calls the admin API with the bearer token, and is 404 without ADMIN_TOKEN", async () => {
    const res = await exports.default.fetch(new Request(`${BASE}/admin`));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).toContain("/api/v1/admin/users/");
    expect(html).toContain("sessionStorage");
    expect(html).toContain("Authorization: \"Bearer \"");
    const off = await app.fetch(new Request(`${BASE}/admin`), { ...env, ADMIN_TOKEN: undefined });
    expect(off.status).toBe(404);
  });
});
