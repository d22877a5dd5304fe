/**
 * User text is cleaned before it is stored (schema/api.ts cleanUserText): no control characters
 * (multi-line text keeps \n and \t), no bidi embeddings/overrides/isolates, no zero-width
 * characters, and a ZWJ only where it joins emoji. Through the real routes: sign-up, PATCH
 * /users/me, posts, edits, shares and comments.
 */
import { describe, expect, it } from "vitest";
import { cleanUserText } from "../../schema/api";
import { anonymous, keyed, signup, testIp, uniqueName } from "./helpers";

const FAMILY = "👨‍👩‍👧"; // man ZWJ woman ZWJ girl
const CODER = "👩🏽‍💻"; // woman, skin tone, ZWJ, laptop
const RAINBOW_FLAG = "🏳️‍🌈"; // white flag, VS16, ZWJ, rainbow

const signupNamed = (displayName: string) =>
  anonymous().post("/api/v1/auth/signup", { username: uniqueName("txt"), password: "correct horse battery", displayName }, { "CF-Connecting-IP": testIp() });

describe("display names", () => {
  it.each([
    ["a right-to-left override", "\u202Eevil", "evil"],
    ["a zero-width space", "a\u200Bda", "ada"],
    ["a NUL", "x\u0000y", "xy"],
    ["isolates, embeddings, BOM, word joiner, ZWNJ", "\u2066a\u2069\u202Ab\u202C\uFEFFc\u2060d\u200Ce", "abcde"],
    ["a newline, a tab and C1 controls (one line only)", "Ann\nB\tob\u0085\u009b", "AnnBob"],
    ["a ZWJ that joins no emoji", "a\u200Db 😀\u200Dx", "ab 😀x"],
    ["emoji ZWJ sequences, kept whole", `${FAMILY} ${CODER} ${RAINBOW_FLAG}`, `${FAMILY} ${CODER} ${RAINBOW_FLAG}`],
    ["bidi marks (LRM, RLM, ALM)", "a\u200Eb\u200Fc\u061Cd", "abcd"],
    ["line and paragraph separators", "Ann\u2028Bob\u2029", "AnnBob"],
    ["soft hyphen, CGJ, Mongolian vowel separator, invisible operators", "a\u00ADb\u034Fc\u180Ed\u2061e\u2062f", "abcdef"],
    ["hidden tag characters", "ada\u{E0041}\u{E0064}\u{E006D}", "ada"],
    ["lone surrogates (not text)", "a\ud800b\udc00c", "abc"],
    ["a subdivision flag, kept whole", "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}", "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}"],
  ])("sign-up strips %s", async (_what, sent, stored) => {
    const res = await signupNamed(sent);
    expect(res.status).toBe(201);
    expect(res.data.user.displayName).toBe(stored);
  });

  it("a name that is empty once cleaned is 400 VALIDATION_ERROR, as a blank one", async () => {
    for (const name of ["\u202E", "\u200B\u200B", " \u0000 ", "\u200D", "   ", "\u3164", "\u200E", "\u2800\u2800", "\uFE0F"]) {
      const res = await signupNamed(name);
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.code).toBe("VALIDATION_ERROR");
    }
  });

  it("PATCH /users/me cleans the display name and the bio (which keeps its lines)", async () => {
    const me = await signup();
    const res = await me.patch("/api/v1/users/me", { displayName: "\u202Eadmin\u200B", bio: "line one\r\nline\ttwo\u0000\u202E ok " + CODER }, keyed());
    expect(res.status).toBe(200);
    const profile = await me.get(`/api/v1/users/${me.user.username}`);
    expect(profile.data.user.displayName).toBe("admin");
    expect(profile.data.user.bio).toBe(`line one\nline\ttwo ok ${CODER}`);
    const blank = await me.patch("/api/v1/users/me", { displayName: "\u2066\u2069" }, keyed());
    expect(blank.status).toBe(400);
    expect(blank.code).toBe("VALIDATION_ERROR");
  });
});

describe("posts, edits, shares and comments", () => {
  it("POST /posts stores the cleaned text, keeps lines, tabs and emoji sequences", async () => {
    const me = await signup();
    const post = await me.createPost(`hi\u202E there\u200B\u0000\n\tsecond line ${FAMILY}`);
    expect(post.content).toBe(`hi there\n\tsecond line ${FAMILY}`);
    expect((await me.get(`/api/v1/posts/${post.id}`)).data.post.content).toBe(post.content);
  });

  it("a post that is only invisible characters is empty (400 EMPTY_POST)", async () => {
    const me = await signup();
    for (const content of ["\u200B\u202E\u0000", "\u200E", "\u3164\u3164", "\u00AD", "\u{E0041}", "\u2800", " \u3000 "]) {
      const res = await me.post("/api/v1/posts", { content }, keyed());
      expect(res.status, JSON.stringify(content)).toBe(400);
      expect(res.code).toBe("EMPTY_POST");
    }
    // A lone surrogate is dropped, so text never grows past its limit once stored.
    const surrogates = await me.post("/api/v1/posts", { content: "x" + "\ud800".repeat(4999) }, keyed());
    expect(surrogates.status).toBe(201);
    expect(surrogates.data.post.content).toBe("x");
  });

  it("edits, shares and comments are cleaned the same way", async () => {
    const me = await signup();
    const post = await me.createPost("original");
    const edited = await me.patch(`/api/v1/posts/${post.id}`, { content: "edi\u200Bted\u202E" }, keyed());
    expect(edited.status).toBe(200);
    expect(edited.data.post.content).toBe("edited");

    const shared = await me.post(`/api/v1/posts/${post.id}/share`, { content: "look\u2066 at\u0007 this" }, keyed());
    expect(shared.status).toBe(201);
    expect(shared.data.post.content).toBe("look at this");

    const comment = await me.post(`/api/v1/posts/${post.id}/comments`, { content: "ni\u200Bce\u0000 " + CODER }, keyed());
    expect(comment.status).toBe(201);
    expect(comment.data.comment.content).toBe(`nice ${CODER}`);
    const invisible = await me.post(`/api/v1/posts/${post.id}/comments`, { content: "\u200B\u202E" }, keyed());
    expect(invisible.status).toBe(400);
    expect(invisible.code).toBe("VALIDATION_ERROR");
  });
});

describe("cleanUserText", () => {
  it("keeps \\n and \\t in multi-line text only, drops \\r and DEL", () => {
    expect(cleanUserText("a\r\nb\tc\u007f", true)).toBe("a\nb\tc");
    expect(cleanUserText("a\r\nb\tc\u007f", false)).toBe("abc");
  });

  it("keeps every ZWJ of profession, family, flag and skin-tone sequences", () => {
    for (const emoji of [FAMILY, CODER, RAINBOW_FLAG, "🏴‍☠️", "❤️‍🔥", "🧑🏿‍🦰", "👁️‍🗨️"]) expect(cleanUserText(emoji, false)).toBe(emoji);
  });
});
