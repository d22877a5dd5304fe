/**
 * Hardening: sessions that end everywhere, and the socket's own limits (API.md, WebSocket).
 * - log-out closes that session's sockets (4001 "session ended"), not the user's other sessions';
 * - a session ended in D1 behind the object's back (expiry, an operator's revocation) stops feed
 *   reads and closes its sockets once the object's trust in its cache runs out (60 s);
 * - an upgrade from another origin is refused (cross-site WebSocket hijacking);
 * - at most 10 sockets per user (the oldest closes), at most 20 messages a second per socket.
 */
import { env } from "cloudflare:workers";
import { listDurableObjectIds, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { checkedFetch } from "./contract";
import { BASE, Client, drainFanout, inUserFeed, signup, uniqueName } from "./helpers";
import { Inbox, openSocket, socketsClosedAfterEach } from "./socket-helpers";

const live = socketsClosedAfterEach();

const PASSWORD = "correct horse battery";

async function loginAgain(c: Client): Promise<Client> {
  const again = new Client();
  const res = await again.post("/api/v1/auth/login", { username: c.user.username, password: PASSWORD });
  expect(res.status).toBe(200);
  again.user = res.data.user;
  return again;
}

/** Makes the object's cached sessions look checked long ago, as 60 s passing would. */
async function ageSessionCache(userId: string): Promise<void> {
  await inUserFeed(userId, (_instance, state) => void state.storage.sql.exec("UPDATE sessions SET checked_at = 0"));
}

describe("sessions end everywhere", () => {
  it("log-out closes that session's sockets with 4001 and leaves the user's other sessions live", async () => {
    const me = await signup(uniqueName("out"), PASSWORD);
    const phone = await loginAgain(me);
    const friend = await signup();
    await friend.follow(me.user.username);
    await me.follow(friend.user.username);
    const laptopTab = await live(me);
    const phoneTab = await live(phone);
    const endedCookie = me.cookie;
    expect((await me.post("/api/v1/auth/logout")).status).toBe(200);
    expect(await laptopTab.closedWith()).toBe(4001);
    expect(laptopTab.closeReason).toBe("session ended");
    // The other session still receives.
    const post = await friend.createPost("still on the phone");
    await drainFanout(friend.user.id);
    await phoneTab.next((m) => m.type === "new_post" && m.payload.post.id === post.id);
    expect(phoneTab.closed).toBe(false);
    // The ended session cannot open a socket again.
    const stale = new Client();
    stale.cookie = endedCookie;
    expect((await openSocket(stale)).res.status).toBe(401);
  });

  it("a session ended in D1 (expiry, operator) stops feed reads and closes its sockets within the cache's trust window", async () => {
    const me = await signup(uniqueName("exp"), PASSWORD);
    const tab = await live(me);
    expect((await me.get("/api/v1/feed")).status).toBe(200);
    const first = await me.get("/api/v1/feed?limit=1&mode=latest");
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE user_id = ?").bind(Date.now() - 1, me.user.id).run();
    await ageSessionCache(me.user.id);
    expect((await me.get("/api/v1/feed")).status).toBe(401);
    expect((await me.get(`/api/v1/feed/updates?since=${encodeURIComponent(first.data.pagination.newestCursor)}`)).status).toBe(401);
    // The object's periodic check (its alarm, every 60 s while sockets are open) closes the socket.
    await runDurableObjectAlarm(env.USER_FEED.getByName(me.user.id));
    expect(await tab.closedWith()).toBe(4001);
  });

  it("an operator's deletion of the session row is noticed by a socket message once the trust window has passed", async () => {
    const me = await signup(uniqueName("rev"), PASSWORD);
    const tab = await live(me);
    await env.DB.prepare("DELETE FROM sessions WHERE user_id = ?").bind(me.user.id).run();
    await ageSessionCache(me.user.id);
    tab.send({ type: "ping", requestId: "p" });
    expect(await tab.closedWith()).toBe(4001);
    expect(tab.messages.some((m) => m.type === "pong")).toBe(false);
  });
});

describe("the upgrade refuses other origins", () => {
  it("403 CSRF_REJECTED before upgrading when Origin names another origin; the same origin upgrades", async () => {
    const me = await signup();
    for (const origin of ["https://evil.example", "http://localhost:9999", "null", "https://localhost"]) {
      const { res, inbox } = await openSocket(me, { Origin: origin });
      expect(res.status, origin).toBe(403);
      expect(inbox, origin).toBeUndefined();
      expect(((await res.json()) as any).error.code, origin).toBe("CSRF_REJECTED");
    }
    const same = await openSocket(me, { Origin: BASE });
    expect(same.res.status).toBe(101);
    same.inbox?.close();
  });
});

describe("socket limits", () => {
  it("an eleventh socket closes the user's oldest; posts reach the ten that remain", async () => {
    const me = await signup();
    const friend = await signup();
    await me.follow(friend.user.username);
    const tabs: Inbox[] = [];
    for (let i = 0; i < 11; i++) tabs.push(await live(me));
    expect(await tabs[0].closedWith()).toBe(4008);
    const post = await friend.createPost("to ten tabs");
    await drainFanout(friend.user.id);
    for (const tab of tabs.slice(1)) await tab.next((m) => m.type === "new_post" && m.payload.post.id === post.id);
    const state = await env.USER_FEED.getByName(me.user.id).inspect();
    expect(state.sockets.length).toBe(10);
  });

  it("past 20 messages a second a socket gets RATE_LIMITED, and is closed with 1008 if it goes on", async () => {
    const me = await signup();
    const tab = await live(me);
    for (let i = 0; i < 100; i++) tab.send({ type: "ping", requestId: `p${i}` });
    expect(await tab.closedWith()).toBe(1008);
    const pongs = tab.messages.filter((m) => m.type === "pong").length;
    const limited = tab.messages.filter((m) => m.type === "error" && m.payload.code === "RATE_LIMITED").length;
    // 20 a second: the burst may straddle two one-second windows, so at most 2 x 20 are answered.
    expect(pongs).toBeLessThanOrEqual(40);
    expect(pongs).toBeGreaterThan(0);
    expect(limited).toBeGreaterThan(0);
    // A calm socket is untouched: 10 pings, 10 pongs.
    const calm = await live(me);
    for (let i = 0; i < 10; i++) calm.send({ type: "ping", requestId: `c${i}` });
    await calm.next((m) => m.type === "pong" && m.correlationId === "c9");
    expect(calm.messages.filter((m) => m.type === "pong").length).toBe(10);
  });
});

describe("socket limits an attacker tries to get around (the attacker's pass)", () => {
  it("a client-chosen connection id (?_pk=) does not slip past the 10-socket cap", async () => {
    const me = await signup();
    const tabs: Inbox[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await checkedFetch(new Request(`${BASE}/api/v1/ws?_pk=same`, { headers: { Upgrade: "websocket", cookie: me.cookie } }));
      res.webSocket!.accept();
      const inbox = new Inbox(res.webSocket!);
      await inbox.next((m) => m.type === "connection_ack");
      tabs.push(inbox);
    }
    const ids = new Set(tabs.map((t) => t.messages[0].payload.clientId));
    expect(ids.size).toBe(12); // the server picks every id
    expect(await tabs[0].closedWith()).toBe(4008);
    expect(await tabs[1].closedWith()).toBe(4008);
    expect((await env.USER_FEED.getByName(me.user.id).inspect()).sockets.length).toBe(10);
    tabs.forEach((t) => t.close());
  });

  it("at most 5 object-calling messages (watch_posts, subscribe_feed, unsubscribe_feed) a second per socket", async () => {
    const me = await signup();
    const tab = await live(me);
    for (let i = 0; i < 10; i++) tab.send({ type: "watch_posts", payload: { postIds: [] }, requestId: `w${i}` });
    tab.send({ type: "ping", requestId: "after" });
    await tab.next((m) => m.type === "pong" && m.correlationId === "after");
    await new Promise((r) => setTimeout(r, 200));
    const acks = tab.messages.filter((m) => m.type === "watching").length;
    const limited = tab.messages.filter((m) => m.type === "error" && m.payload.code === "RATE_LIMITED").length;
    expect(acks).toBeGreaterThan(0);
    expect(acks).toBeLessThanOrEqual(10);
    expect(acks + limited).toBe(10);
    expect(limited).toBeGreaterThan(0);
    expect(tab.closed).toBe(false);
  });

  it("unsubscribe_feed for an id the socket never subscribed wakes no object", async () => {
    const me = await signup();
    const tab = await live(me);
    const before = (await listDurableObjectIds(env.USER_FEED)).length;
    for (let i = 0; i < 3; i++) {
      tab.send({ type: "unsubscribe_feed", payload: { userId: `01FORGED${i}${crypto.randomUUID().slice(0, 8)}` }, requestId: `u${i}` });
      await tab.next((m) => m.type === "unsubscribed" && m.correlationId === `u${i}`);
    }
    expect((await listDurableObjectIds(env.USER_FEED)).length).toBe(before);
  });

  it("more than 30 upgrades a minute for one user are closed with 1008", async () => {
    const me = await signup();
    let refused = 0;
    for (let i = 0; i < 32; i++) {
      const { inbox } = await openSocket(me);
      const first = await Promise.race([inbox!.next((m) => m.type === "connection_ack", 3000).then(() => "ack"), inbox!.closedWith(3000).then(() => "closed")]);
      if (first === "closed" && inbox!.closeCode === 1008) refused++;
      inbox!.close();
    }
    expect(refused).toBe(2);
  });

  it("a post reaching a socket by its home feed and by a profile subscription arrives once", async () => {
    const author = await signup();
    const reader = await signup();
    await reader.follow(author.user.username);
    const tab = await live(reader);
    tab.send({ type: "subscribe_feed", payload: { userId: author.user.id }, requestId: "s" });
    await tab.next((m) => m.correlationId === "s");
    const post = await author.createPost("once, please");
    await drainFanout(author.user.id);
    await tab.next((m) => m.type === "new_post" && m.payload.post.id === post.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(tab.messages.filter((m) => m.type === "new_post" && m.payload.post.id === post.id)).toHaveLength(1);
  });

  it("a viewer holds at most 400 watch leases at one author, whatever it sends", async () => {
    const author = await signup();
    const stub = env.USER_FEED.getByName(author.user.id);
    await stub.addWatcher("01VIEWER", Array.from({ length: 450 }, (_, i) => `p${String(i).padStart(4, "0")}`));
    const count = await inUserFeed(author.user.id, (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM watchers WHERE user_id = '01VIEWER'").one().n);
    expect(count).toBe(400);
  });
});
