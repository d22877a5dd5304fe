/**
 * The request guards and the envelope: CSRF_REJECTED, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE,
 * INVALID_JSON, NOT_FOUND for unknown API routes, VALIDATION_ERROR for limits, and "no input
 * produces a 5xx": a table of malformed requests, each answered with a 4xx envelope.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { checkedFetch } from "./contract";
import { BASE, Client, keyed, signup } from "./helpers";

let me: Client;
let other: Client;
let postId: string;
let friendsPostId: string;

beforeAll(async () => {
  me = await signup();
  other = await signup();
  postId = (await other.createPost("target")).id;
  friendsPostId = (await other.createPost("friends only", { privacy: "friends" })).id;
  for (let i = 0; i < 3; i++) await me.createPost(`mine ${i}`);
});

function expectEnvelope(res: { status: number; body: any }, label: string) {
  expect(res.status, label).toBeGreaterThanOrEqual(400);
  expect(res.status, label).toBeLessThan(500);
  expect(res.body.success, label).toBe(false);
  // the test client marks a body that is not JSON as NOT_JSON: every /api/v1 answer is an envelope
  expect(res.body.error?.code, label).not.toBe("NOT_JSON");
  expect(typeof res.body.error?.code, label).toBe("string");
  expect(typeof res.body.error?.message, label).toBe("string");
}

describe("request guards", () => {
  it("403 CSRF_REJECTED for a mutation carrying another origin, before anything changes", async () => {
    for (const origin of ["https://evil.example", "null", "http://localhost:9999", "https://localhost"]) {
      const res = await me.post("/api/v1/posts", { content: "csrf" }, { ...keyed(), Origin: origin });
      expect(res.status, origin).toBe(403);
      expect(res.code, origin).toBe("CSRF_REJECTED");
    }
    const del = await other.del(`/api/v1/posts/${postId}`, { Origin: "https://evil.example" });
    expect(del.code).toBe("CSRF_REJECTED");
    const patch = await me.patch("/api/v1/users/me", { displayName: "pwned" }, { Origin: "https://evil.example" });
    expect(patch.code).toBe("CSRF_REJECTED");
    expect((await me.get("/api/v1/auth/me")).data.user.displayName).toBe(me.user.displayName);
    expect((await other.get(`/api/v1/posts/${postId}`)).status).toBe(200);
    // Same origin, and no Origin at all (non-browser clients), are fine; reads are never blocked.
    expect((await me.post("/api/v1/posts", { content: "ok" }, { ...keyed(), Origin: BASE })).status).toBe(201);
    expect((await me.get("/api/v1/feed", { Origin: "https://evil.example" })).status).toBe(200);
    // login is a mutation too
    const login = await new Client().post("/api/v1/auth/login", { username: me.user.username, password: "x" }, { Origin: "https://evil.example" });
    expect(login.code).toBe("CSRF_REJECTED");
  });

  it("415 UNSUPPORTED_MEDIA_TYPE for a non-JSON body", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp"]) {
      const res = await me.post("/api/v1/posts", '{"content":"x"}', { ...keyed(), "content-type": type });
      expect(res.status, type).toBe(415);
      expect(res.code, type).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    const withCharset = await me.post("/api/v1/posts", '{"content":"charset"}', { ...keyed(), "content-type": "application/json; charset=utf-8" });
    expect(withCharset.status).toBe(201);
  });

  it("413 PAYLOAD_TOO_LARGE above 64 KiB, with or without a Content-Length", async () => {
    const big = JSON.stringify({ content: "x".repeat(64 * 1024) });
    const res = await me.post("/api/v1/posts", big, keyed());
    expect(res.status).toBe(413);
    expect(res.code).toBe("PAYLOAD_TOO_LARGE");
    // streamed (no Content-Length): the guard counts bytes as they come
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
        controller.close();
      },
    });
    const streamed = await checkedFetch(
      new Request(`${BASE}/api/v1/posts`, { method: "POST", body: stream, headers: { cookie: me.cookie, "content-type": "application/json", ...keyed() } }),
    );
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as any).error.code).toBe("PAYLOAD_TOO_LARGE");
    // a lying Content-Length above the limit is refused up front
    const lying = await me.post("/api/v1/posts", '{"content":"x"}', { ...keyed(), "content-length": String(10 * 1024 * 1024) }).catch(() => null);
    if (lying) expectEnvelope(lying, "lying content-length");
    // just under the limit passes the guard (and then fails CONTENT_TOO_LONG on its own merits)
    const under = await me.post("/api/v1/posts", JSON.stringify({ content: "y".repeat(60 * 1024) }), keyed());
    expect(under.code).toBe("CONTENT_TOO_LONG");
  });

  it("400 INVALID_JSON for unparseable bodies", async () => {
    for (const body of ["{", '{"content": "x",}', "not json", "{'content': 'x'}", '{"content":"\\ud800"', "\u0000"]) {
      const res = await me.post("/api/v1/posts", body, keyed());
      expect(res.status, body).toBe(400);
      expect(res.code, body).toBe("INVALID_JSON");
    }
    // invalid UTF-8 bytes
    const res = await checkedFetch(
      new Request(`${BASE}/api/v1/posts`, {
        method: "POST",
        body: new Uint8Array([0x7b, 0x22, 0x63, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
        headers: { cookie: me.cookie, "content-type": "application/json", ...keyed() },
      }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe("INVALID_JSON");
  });

  it("404 NOT_FOUND for unknown /api/v1/* routes, signed in or not", async () => {
    for (const client of [me, new Client()]) {
      for (const path of ["/api/v1/nope", "/api/v1/posts/x/y/z", "/api/v1/users/a/b/c/d", "/api/v1/", "/api/v1", "/api/v2/feed", "/api/v1/feed/extra/deep"]) {
        const res = await client.get(path);
        expect([401, 404], path).toContain(res.status);
        expectEnvelope(res, path);
        if (client === me) {
          expect(res.status, path).toBe(404);
          expect(res.code, path).toBe("NOT_FOUND");
        }
      }
    }
    const anon = await new Client().get("/api/v1/definitely-not-a-route");
    expect(anon.status).toBe(404);
    expect(anon.code).toBe("NOT_FOUND");
  });
});

describe("limit and cursor parameters", () => {
  it("limit above 50 clamps to 50 (any whole number); not a whole number ≥ 1 is 400 VALIDATION_ERROR", async () => {
    const author = await signup();
    for (let i = 0; i < 52; i++) await author.createPost(`bulk ${i}`);
    for (const limit of ["51", "500", "99999999999", "1000000000000000000000"]) {
      const res = await author.get(`/api/v1/feed?mode=latest&limit=${limit}`);
      expect(res.status, limit).toBe(200);
      expect(res.data.posts, limit).toHaveLength(50);
      expect(res.data.pagination.hasMore).toBe(true);
    }
    expect((await author.get("/api/v1/feed?mode=latest&limit=3")).data.posts).toHaveLength(3);
    expect((await author.get("/api/v1/feed?mode=latest")).data.posts).toHaveLength(20); // default
    for (const limit of ["0", "-1", "1.5", "abc", "", " 5", "1e3", "0x10", "+3", "5,6"]) {
      const res = await author.get(`/api/v1/feed?limit=${encodeURIComponent(limit)}`);
      expect(res.status, JSON.stringify(limit)).toBe(400);
      expect(res.code, JSON.stringify(limit)).toBe("VALIDATION_ERROR");
    }
  });

  it("400 INVALID_CURSOR for any syntactically bad cursor, in both modes", async () => {
    const garbage = btoa("\u0001\u0002garbage\u00ff").replace(/=+$/, "");
    const cursors = ["!!!", "e30", garbage, "eyJtIjoibCJ9", "eyJtIjoiciIsInMiOiJ4IiwibyI6LTF9", "a".repeat(600), "%00", "null", "W10", "InN0cmluZyI"];
    for (const cursor of cursors) {
      for (const mode of ["latest", "ranked"]) {
        const res = await me.get(`/api/v1/feed?mode=${mode}&cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, `${mode} ${cursor}`).toBe(400);
        expect(res.code, `${mode} ${cursor}`).toBe("INVALID_CURSOR");
      }
    }
    // a well-formed ranked cursor naming a snapshot that does not exist
    const unknownSnapshot = btoa(JSON.stringify({ m: "r", s: "01ZZZZZZZZZZZZZZZZZZZZZZZZ", o: 0 })).replace(/=+$/, "");
    expect((await me.get(`/api/v1/feed?cursor=${unknownSnapshot}`)).code).toBe("INVALID_CURSOR");
  });
});

describe("no input produces a 5xx", () => {
  const huge = "h".repeat(20_000);
  const unicode = "ℌ𝔢𝔩𝔩𝔬 🌍 \u202e\u0000 ǅ";
  const table: [string, string, string, unknown?, Record<string, string>?][] = [
    // [label, method, path, body, headers]
    ["post: array body", "POST", "/api/v1/posts", [], keyed()],
    ["post: number body", "POST", "/api/v1/posts", 42, keyed()],
    ["post: null body", "POST", "/api/v1/posts", null, keyed()],
    ["post: content object", "POST", "/api/v1/posts", { content: { a: 1 } }, keyed()],
    ["post: content array", "POST", "/api/v1/posts", { content: ["a"] }, keyed()],
    ["post: huge content", "POST", "/api/v1/posts", { content: huge }, keyed()],
    ["post: huge image url", "POST", "/api/v1/posts", { content: "x", imageUrl: `https://x.example/${huge}` }, keyed()],
    ["post: privacy number", "POST", "/api/v1/posts", { content: "x", privacy: 1 }, keyed()],
    ["post: postType share", "POST", "/api/v1/posts", { content: "x", postType: "share" }, keyed()],
    ["post: __proto__", "POST", "/api/v1/posts", JSON.parse('{"__proto__": {"content": "x"}}'), keyed()],
    ["post: deep nesting", "POST", "/api/v1/posts", "[".repeat(5000) + "]".repeat(5000), keyed()],
    ["post: unicode key", "POST", "/api/v1/posts", { content: "x" }, { "X-Idempotency-Key": unicode.slice(0, 3) }],
    ["signup: huge username", "POST", "/api/v1/auth/signup", { username: huge, password: "password1", displayName: "x" }],
    ["signup: unicode username", "POST", "/api/v1/auth/signup", { username: unicode, password: "password1", displayName: "x" }],
    ["signup: huge password", "POST", "/api/v1/auth/signup", { username: "hugepw_user", password: huge, displayName: "x" }],
    ["signup: nulls", "POST", "/api/v1/auth/signup", { username: null, password: null, displayName: null }],
    ["login: huge username", "POST", "/api/v1/auth/login", { username: huge, password: "x" }],
    ["login: huge password", "POST", "/api/v1/auth/login", { username: "someone", password: huge }],
    ["login: array", "POST", "/api/v1/auth/login", ["username", "password"]],
    ["patch me: unicode avatar", "PATCH", "/api/v1/users/me", { avatarUrl: unicode }],
    ["patch me: null display name", "PATCH", "/api/v1/users/me", { displayName: null }],
    ["profile: unicode username", "GET", `/api/v1/users/${encodeURIComponent(unicode)}`],
    ["profile: huge username", "GET", `/api/v1/users/${huge.slice(0, 4000)}`],
    ["profile: bad percent-encoding", "GET", "/api/v1/users/%E0%A4%A"],
    ["follow: unicode", "POST", `/api/v1/users/${encodeURIComponent(unicode)}/follow`],
    ["followers: bad cursor", "GET", "/api/v1/users/nobody_here/followers?cursor=!!!"],
    ["post: bad id", "GET", "/api/v1/posts/%00%01"],
    ["post: sql-ish id", "GET", "/api/v1/posts/'%20OR%201=1--"],
    ["edit: bad id", "PATCH", "/api/v1/posts/nope", { content: "x" }],
    ["edit: no body", "PATCH", `/api/v1/posts/{postId}`],
    ["like: bad id", "POST", `/api/v1/posts/${encodeURIComponent(unicode)}/like`],
    ["like: friends-only of a non-friend", "POST", "/api/v1/posts/{friendsPostId}/like"],
    ["comments: limit=99999999999999999999999999", "GET", "/api/v1/posts/{postId}/comments?limit=99999999999999999999999999&cursor=e30"],
    ["comment: huge", "POST", "/api/v1/posts/{postId}/comments", { content: huge }, keyed()],
    ["share: content number", "POST", "/api/v1/posts/{postId}/share", { content: 5 }, keyed()],
    ["feed: cursor !!!", "GET", "/api/v1/feed?cursor=!!!"],
    ["feed: cursor e30", "GET", "/api/v1/feed?cursor=e30"],
    ["feed: cursor base64 garbage", "GET", `/api/v1/feed?cursor=${btoa("\u00ff\u00fe\u00fd garbage")}`],
    ["feed: cursor repeated", "GET", "/api/v1/feed?cursor=a&cursor=b"],
    ["feed: limit=0", "GET", "/api/v1/feed?limit=0"],
    ["feed: limit=-1", "GET", "/api/v1/feed?limit=-1"],
    ["feed: limit=1.5", "GET", "/api/v1/feed?limit=1.5"],
    ["feed: limit=abc", "GET", "/api/v1/feed?limit=abc"],
    ["feed: mode=bogus", "GET", "/api/v1/feed?mode=bogus"],
    ["updates: no since", "GET", "/api/v1/feed/updates"],
    ["updates: since !!!", "GET", "/api/v1/feed/updates?since=!!!"],
    ["updates: since e30", "GET", "/api/v1/feed/updates?since=e30"],
    ["updates: since negative", "GET", `/api/v1/feed/updates?since=${btoa(JSON.stringify({ s: -1, t: -5 })).replace(/=+$/, "")}`],
    ["updates: since huge numbers", "GET", `/api/v1/feed/updates?since=${btoa(JSON.stringify({ s: 1e300, t: 1e300 })).replace(/=+$/, "")}`],
    ["method: PUT /posts", "PUT", "/api/v1/posts", { content: "x" }],
    ["method: DELETE /feed", "DELETE", "/api/v1/feed"],
    ["method: PATCH /auth/login", "PATCH", "/api/v1/auth/login", { username: "a", password: "b" }],
    ["method: GET /auth/logout", "GET", "/api/v1/auth/logout"],
    ["method: POST /feed", "POST", "/api/v1/feed", {}],
    ["method: PUT /users/me", "PUT", "/api/v1/users/me", {}],
  ];

  it.each(table)("%s → a 4xx envelope", async (label, method, rawPath, body, headers) => {
    const path = rawPath.replace("{postId}", postId).replace("{friendsPostId}", friendsPostId);
    const res = await me.request(method, path, body, headers ?? {});
    expectEnvelope(res, label);
  });

  it("the signed-out versions of the same requests are 4xx too", async () => {
    const anon = new Client();
    for (const [label, method, rawPath, body, headers] of table) {
      const path = rawPath.replace("{postId}", postId).replace("{friendsPostId}", friendsPostId);
      const res = await anon.request(method, path, body, headers ?? {});
      expectEnvelope(res, `anonymous ${label}`);
    }
  });
});
