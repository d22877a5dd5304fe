/**
 * Hardening: bad input. Well over 40 malformed HTTP requests (shapes, types, sizes, encodings,
 * cursors, ids, headers, methods) and socket messages. Every request gets a 4xx with the error
 * envelope, never a 5xx; every socket message gets an `error` and the socket keeps working; and
 * nothing changes: the D1 rows and the objects' state are the same before and after.
 * (tests/worker/errors.test.ts checks the exact codes of the contract; this suite is the broad net.)
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkedFetch } from "./contract";
import { BASE, drainFanout, signup, timelineIds, type Client } from "./helpers";
import { connect } from "./socket-helpers";

const b64url = (s: string) => btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

interface Bad {
  name: string;
  method: string;
  path: string;
  body?: BodyInit;
  headers?: Record<string, string>;
  auth?: "none" | "garbage";
}

async function send(client: Client, bad: Bad): Promise<Response> {
  const headers: Record<string, string> = { ...(bad.headers ?? {}) };
  if (bad.auth === "garbage") headers.cookie = "ef_session=" + "x".repeat(40);
  else if (bad.auth !== "none") headers.cookie = client.cookie;
  if (bad.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
  return checkedFetch(new Request(`${BASE}${bad.path}`, { method: bad.method, headers, body: bad.body }));
}

async function d1Snapshot() {
  const tables = ["users", "sessions", "follows", "posts", "likes", "comments", "comment_likes", "post_mentions", "comment_mentions"];
  const out: Record<string, unknown> = {};
  for (const t of tables) out[t] = (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>())?.n;
  out.postsDigest = (await env.DB.prepare("SELECT group_concat(id || ':' || content || ':' || like_count || ':' || comment_count || ':' || share_count || ':' || updated_at, '|') AS d FROM posts").first<{ d: string }>())?.d;
  out.usersDigest = (await env.DB.prepare("SELECT group_concat(id || ':' || display_name || ':' || coalesce(bio,'') || ':' || coalesce(avatar_url,'') || ':' || follower_count || ':' || following_count, '|') AS d FROM users").first<{ d: string }>())?.d;
  return out;
}

describe("bad input", () => {
  it("answers every malformed request with a 4xx envelope and changes nothing", async () => {
    const me = await signup();
    const other = await signup();
    const friendOnlyStranger = await signup();
    const mine = await me.createPost("my post");
    const theirs = await other.createPost("their post");
    const hidden = await friendOnlyStranger.createPost("friends only", { privacy: "friends" });
    const theirComment = (await other.post(`/api/v1/posts/${theirs.id}/comments`, { content: "their comment" }, { "X-Idempotency-Key": crypto.randomUUID() })).data.comment;
    const hiddenComment = (await friendOnlyStranger.post(`/api/v1/posts/${hidden.id}/comments`, { content: "hidden comment" }, { "X-Idempotency-Key": crypto.randomUUID() })).data.comment;
    const usedKey = crypto.randomUUID();
    expect((await me.post("/api/v1/posts", { content: "keyed" }, { "X-Idempotency-Key": usedKey })).status).toBe(201);
    await drainFanout(me.user.id);
    const u = me.user.username;
    const big = "x".repeat(70 * 1024);
    const cases: Bad[] = [
      // Posts: shapes, types, sizes, encodings, headers
      { name: "post without idempotency key", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: "a" }) },
      { name: "post with 256-char key", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: "a" }), headers: { "X-Idempotency-Key": "k".repeat(256) } },
      { name: "post with key containing space-only", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: "a" }), headers: { "X-Idempotency-Key": "é" } },
      { name: "post with truncated JSON", method: "POST", path: "/api/v1/posts", body: '{"content": "a"', headers: { "X-Idempotency-Key": "k1" } },
      { name: "post as text/plain", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: "a" }), headers: { "content-type": "text/plain", "X-Idempotency-Key": "k2" } },
      { name: "post as form data", method: "POST", path: "/api/v1/posts", body: "content=a", headers: { "content-type": "application/x-www-form-urlencoded", "X-Idempotency-Key": "k3" } },
      { name: "post 70 KiB body", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: big }), headers: { "X-Idempotency-Key": "k4" } },
      { name: "post content 5001 chars", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: "y".repeat(5001) }), headers: { "X-Idempotency-Key": "k5" } },
      { name: "post content is a number", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: 123 }), headers: { "X-Idempotency-Key": "k6" } },
      { name: "post content is an object", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: { $gt: "" } }), headers: { "X-Idempotency-Key": "k7" } },
      { name: "post privacy unknown", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: "a", privacy: "secret" }), headers: { "X-Idempotency-Key": "k8" } },
      { name: "post javascript: image", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: "a", imageUrl: "javascript:alert(1)" }), headers: { "X-Idempotency-Key": "k9" } },
      { name: "post empty content, no image", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: "   " }), headers: { "X-Idempotency-Key": "k10" } },
      { name: "post body is an array", method: "POST", path: "/api/v1/posts", body: "[]", headers: { "X-Idempotency-Key": "k11" } },
      { name: "post body is null", method: "POST", path: "/api/v1/posts", body: "null", headers: { "X-Idempotency-Key": "k12" } },
      { name: "post body invalid UTF-8", method: "POST", path: "/api/v1/posts", body: new Uint8Array([0x7b, 0x22, 0x63, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: { "X-Idempotency-Key": "k13" } },
      { name: "post from another origin", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: "a" }), headers: { origin: "https://evil.example", "X-Idempotency-Key": "k14" } },
      { name: "post postType share (not allowed)", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: "a", postType: "share" }), headers: { "X-Idempotency-Key": "k15" } },
      { name: "idempotency key reused with another body", method: "POST", path: "/api/v1/posts", body: JSON.stringify({ content: "different" }), headers: { "X-Idempotency-Key": usedKey } },
      // Feed: cursors, limits, modes
      { name: "feed limit 0", method: "GET", path: "/api/v1/feed?limit=0" },
      { name: "feed limit abc", method: "GET", path: "/api/v1/feed?limit=abc" },
      { name: "feed limit -5", method: "GET", path: "/api/v1/feed?limit=-5" },
      { name: "feed limit 1.5", method: "GET", path: "/api/v1/feed?limit=1.5" },
      { name: "feed cursor garbage", method: "GET", path: "/api/v1/feed?cursor=%%%garbage" },
      { name: "feed cursor wrong shape", method: "GET", path: `/api/v1/feed?cursor=${b64url(JSON.stringify({ m: "x", b: 1 }))}` },
      { name: "feed cursor huge offset", method: "GET", path: `/api/v1/feed?cursor=${b64url(JSON.stringify({ m: "r", s: "nope", o: 1e9 }))}` },
      { name: "feed cursor unknown snapshot", method: "GET", path: `/api/v1/feed?cursor=${b64url(JSON.stringify({ m: "r", s: "nope", o: 0 }))}` },
      { name: "feed cursor 600 chars", method: "GET", path: `/api/v1/feed?cursor=${"A".repeat(600)}` },
      { name: "feed mode weird", method: "GET", path: "/api/v1/feed?mode=hot" },
      { name: "updates without since", method: "GET", path: "/api/v1/feed/updates" },
      { name: "updates since garbage", method: "GET", path: "/api/v1/feed/updates?since=zzz" },
      { name: "updates since negative seq", method: "GET", path: `/api/v1/feed/updates?since=${b64url(JSON.stringify({ s: -1, t: 0 }))}` },
      // Ids
      { name: "get unknown post", method: "GET", path: "/api/v1/posts/01ZZZZZZZZZZZZZZZZZZZZZZZZ" },
      { name: "get post with quote in id", method: "GET", path: "/api/v1/posts/'%20OR%201=1--" },
      { name: "get another's friends-only post", method: "GET", path: `/api/v1/posts/${hidden.id}` },
      { name: "edit another's post", method: "PATCH", path: `/api/v1/posts/${theirs.id}`, body: JSON.stringify({ content: "mine now" }) },
      { name: "edit own post to empty", method: "PATCH", path: `/api/v1/posts/${mine.id}`, body: JSON.stringify({ content: "" }) },
      { name: "edit with content number", method: "PATCH", path: `/api/v1/posts/${mine.id}`, body: JSON.stringify({ content: 5 }) },
      { name: "delete another's post", method: "DELETE", path: `/api/v1/posts/${theirs.id}` },
      { name: "delete unknown post", method: "DELETE", path: "/api/v1/posts/nope" },
      { name: "like unknown post", method: "POST", path: "/api/v1/posts/nope/like" },
      { name: "like hidden post", method: "POST", path: `/api/v1/posts/${hidden.id}/like` },
      { name: "comment without key", method: "POST", path: `/api/v1/posts/${theirs.id}/comments`, body: JSON.stringify({ content: "hi" }) },
      { name: "comment empty", method: "POST", path: `/api/v1/posts/${theirs.id}/comments`, body: JSON.stringify({ content: "" }), headers: { "X-Idempotency-Key": "c1" } },
      { name: "comment 2001 chars", method: "POST", path: `/api/v1/posts/${theirs.id}/comments`, body: JSON.stringify({ content: "z".repeat(2001) }), headers: { "X-Idempotency-Key": "c2" } },
      { name: "comment on hidden post", method: "POST", path: `/api/v1/posts/${hidden.id}/comments`, body: JSON.stringify({ content: "hi" }), headers: { "X-Idempotency-Key": "c3" } },
      { name: "comments cursor garbage", method: "GET", path: `/api/v1/posts/${theirs.id}/comments?cursor=!!` },
      { name: "share hidden post", method: "POST", path: `/api/v1/posts/${hidden.id}/share`, body: JSON.stringify({}), headers: { "X-Idempotency-Key": "s1" } },
      { name: "share with content number", method: "POST", path: `/api/v1/posts/${theirs.id}/share`, body: JSON.stringify({ content: 1 }), headers: { "X-Idempotency-Key": "s2" } },
      // Conversations and notifications
      { name: "reply to unknown comment", method: "POST", path: `/api/v1/posts/${theirs.id}/comments`, body: JSON.stringify({ content: "hi", parentId: "nope" }), headers: { "X-Idempotency-Key": "c4" } },
      { name: "reply with parentId object", method: "POST", path: `/api/v1/posts/${theirs.id}/comments`, body: JSON.stringify({ content: "hi", parentId: { id: 1 } }), headers: { "X-Idempotency-Key": "c5" } },
      { name: "reply to a hidden post's comment", method: "POST", path: `/api/v1/posts/${theirs.id}/comments`, body: JSON.stringify({ content: "hi", parentId: hiddenComment.id }), headers: { "X-Idempotency-Key": "c6" } },
      { name: "edit another's comment", method: "PATCH", path: `/api/v1/comments/${theirComment.id}`, body: JSON.stringify({ content: "mine" }) },
      { name: "edit comment empty", method: "PATCH", path: `/api/v1/comments/${theirComment.id}`, body: JSON.stringify({ content: " " }) },
      { name: "edit hidden comment", method: "PATCH", path: `/api/v1/comments/${hiddenComment.id}`, body: JSON.stringify({ content: "x" }) },
      { name: "delete another's comment on another's post", method: "DELETE", path: `/api/v1/comments/${theirComment.id}` },
      { name: "delete unknown comment", method: "DELETE", path: "/api/v1/comments/nope" },
      { name: "like hidden comment", method: "POST", path: `/api/v1/comments/${hiddenComment.id}/like` },
      { name: "unlike unknown comment", method: "DELETE", path: "/api/v1/comments/nope/like" },
      { name: "replies of a hidden comment", method: "GET", path: `/api/v1/comments/${hiddenComment.id}/replies` },
      { name: "replies limit -1", method: "GET", path: `/api/v1/comments/${theirComment.id}/replies?limit=-1` },
      { name: "notifications cursor garbage", method: "GET", path: "/api/v1/notifications?cursor=%%%" },
      { name: "notifications without session", method: "GET", path: "/api/v1/notifications", auth: "garbage" },
      { name: "read notifications upTo unknown", method: "POST", path: "/api/v1/notifications/read", body: JSON.stringify({ upTo: "nope" }) },
      { name: "read notifications upTo array", method: "POST", path: "/api/v1/notifications/read", body: JSON.stringify({ upTo: ["a"] }) },
      // Users
      { name: "follow unknown user", method: "POST", path: "/api/v1/users/nobody_here_1/follow" },
      { name: "follow self", method: "POST", path: `/api/v1/users/${u}/follow` },
      { name: "profile unknown", method: "GET", path: "/api/v1/users/nobody_here_2" },
      { name: "profile posts bad cursor", method: "GET", path: `/api/v1/users/${u}/posts?cursor=@@` },
      { name: "followers limit 0", method: "GET", path: `/api/v1/users/${u}/followers?limit=0` },
      { name: "following limit 1000000000000", method: "GET", path: `/api/v1/users/${u}/following?limit=1e12` },
      { name: "profile displayName empty", method: "PATCH", path: "/api/v1/users/me", body: JSON.stringify({ displayName: "" }) },
      { name: "profile avatar ftp", method: "PATCH", path: "/api/v1/users/me", body: JSON.stringify({ avatarUrl: "ftp://x/y.png" }) },
      { name: "profile bio 10k", method: "PATCH", path: "/api/v1/users/me", body: JSON.stringify({ bio: "b".repeat(10_000) }) },
      { name: "profile unknown field", method: "PATCH", path: "/api/v1/users/me", body: JSON.stringify({ followerCount: 1e6 }) },
      // Auth, methods, routes
      { name: "signup bad username", method: "POST", path: "/api/v1/auth/signup", body: JSON.stringify({ username: "A B", password: "long enough pw", displayName: "x" }), auth: "none" },
      { name: "signup short password", method: "POST", path: "/api/v1/auth/signup", body: JSON.stringify({ username: "shortpw_user", password: "short", displayName: "x" }), auth: "none" },
      { name: "signup taken username", method: "POST", path: "/api/v1/auth/signup", body: JSON.stringify({ username: u, password: "long enough pw", displayName: "x" }), auth: "none" },
      { name: "signup password is array", method: "POST", path: "/api/v1/auth/signup", body: JSON.stringify({ username: "arr_user", password: ["a"], displayName: "x" }), auth: "none" },
      { name: "login wrong password", method: "POST", path: "/api/v1/auth/login", body: JSON.stringify({ username: u, password: "wrong password" }), auth: "none" },
      { name: "feed without session", method: "GET", path: "/api/v1/feed", auth: "none" },
      { name: "feed with garbage session", method: "GET", path: "/api/v1/feed", auth: "garbage" },
      { name: "ws without upgrade header", method: "GET", path: "/api/v1/ws" },
      { name: "ws without session", method: "GET", path: "/api/v1/ws", headers: { upgrade: "websocket" }, auth: "none" },
      { name: "unknown api route", method: "GET", path: "/api/v1/nothing/here" },
      { name: "PUT on posts", method: "PUT", path: "/api/v1/posts", body: JSON.stringify({ content: "a" }) },
      { name: "PATCH on feed", method: "PATCH", path: "/api/v1/feed", body: JSON.stringify({}) },
      { name: "admin without token", method: "GET", path: `/api/v1/admin/users/${u}/state` },
      { name: "bench without token", method: "GET", path: `/api/v1/bench/users/${me.user.id}` },
    ];
    const before = await d1Snapshot();
    const timelineBefore = await timelineIds(me.user.id);
    const failures: string[] = [];
    for (const bad of cases) {
      const res = await send(me, bad);
      const text = await res.text();
      let body: any = null;
      try {
        body = JSON.parse(text);
      } catch {}
      const envelope = body?.success === false && typeof body?.error?.code === "string" && typeof body?.error?.message === "string";
      if (res.status < 400 || res.status >= 500 || !envelope) failures.push(`${bad.name}: ${res.status} ${text.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
    expect(await d1Snapshot()).toEqual(before);
    expect(await timelineIds(me.user.id)).toEqual(timelineBefore);
    // Still working afterwards.
    expect((await me.get("/api/v1/feed")).status).toBe(200);
    console.log(`HARDENING bad input: ${cases.length} malformed requests, ${failures.length} failures, state unchanged`);
  });

  it("answers every malformed socket message with an error, keeps the socket open and the object working", async () => {
    const me = await signup();
    const other = await signup();
    const hiddenAuthor = await signup();
    await me.follow(other.user.username);
    const inbox = await connect(me);
    const messages: (string | ArrayBuffer)[] = [
      "not json",
      "{",
      "[]",
      "null",
      "42",
      '"ping"',
      "{}",
      JSON.stringify({ type: "nope" }),
      JSON.stringify({ type: "__proto__" }),
      JSON.stringify({ type: 7 }),
      JSON.stringify({ type: "subscribe_feed" }),
      JSON.stringify({ type: "subscribe_feed", payload: {} }),
      JSON.stringify({ type: "subscribe_feed", payload: { userId: 123 } }),
      JSON.stringify({ type: "subscribe_feed", payload: { userId: "does-not-exist" } }),
      JSON.stringify({ type: "subscribe_feed", payload: { userId: "x".repeat(5000) } }),
      JSON.stringify({ type: "unsubscribe_feed", payload: { userId: null } }),
      JSON.stringify({ type: "watch_posts", payload: { postIds: "abc" } }),
      JSON.stringify({ type: "watch_posts", payload: { postIds: Array.from({ length: 201 }, (_, i) => `p${i}`) } }),
      JSON.stringify({ type: "watch_posts", payload: { postIds: [1, 2, 3] } }),
      JSON.stringify({ type: "ping", requestId: { nested: true } }),
      JSON.stringify({ type: "ping", payload: "x".repeat(17 * 1024) }),
      "x".repeat(17 * 1024),
      new TextEncoder().encode('{"type":"ping"}').buffer as ArrayBuffer,
    ];
    const stateBefore = await d1Snapshot();
    let errors = 0;
    for (const [i, m] of messages.entries()) {
      const before = inbox.messages.filter((x) => x.type === "error").length;
      inbox.ws.send(m);
      // Each bad message gets its own error (or, for the tolerated ping with a bad requestId, a pong).
      await expect
        .poll(() => inbox.messages.filter((x) => x.type === "error").length > before || (i === 19 && inbox.messages.some((x) => x.type === "pong")), { timeout: 3000 })
        .toBe(true);
      errors = inbox.messages.filter((x) => x.type === "error").length;
      expect(inbox.closed).toBe(false);
    }
    for (const e of inbox.messages.filter((x) => x.type === "error")) {
      expect(typeof e.payload.code).toBe("string");
      expect(typeof e.payload.message).toBe("string");
      expect(e.payload.code).not.toBe("INTERNAL_ERROR");
    }
    // The socket and the object still work: ping answers, and a followed author's post arrives.
    inbox.send({ type: "ping", requestId: "after-bad" });
    await inbox.next((m) => m.type === "pong" && m.correlationId === "after-bad");
    const post = await other.createPost("still delivered");
    await drainFanout(other.user.id);
    await inbox.next((m) => m.type === "new_post" && m.payload.post.id === post.id);
    expect(await d1Snapshot()).not.toBeNull();
    expect((await d1Snapshot()).follows).toBe(stateBefore.follows);
    void hiddenAuthor;
    inbox.close();
    console.log(`HARDENING bad socket messages: ${messages.length} sent, ${errors} error replies, socket open, object working`);
  });
});
