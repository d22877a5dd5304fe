/**
 * API.md: GET /search/users. A prefix of the username or of any word of the display name, case-
 * and accent-insensitive; friends first, then friends of friends (by mutual friends), then the
 * people the viewer follows, then everyone else by followers; never the viewer, nobody absent to
 * the viewer. Served by indexes, never a scan (EXPLAIN QUERY PLAN). Bad input is a 400.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseQuery, searchStatement, searchTerms } from "../../core/search";
import { anonymous, befriend, ids, signup, uniqueName, type Client } from "./helpers";

/** A user with a chosen display name (and a username that starts with `handle` when given). */
async function person(displayName: string, handle?: string): Promise<Client> {
  const c = await signup(handle ? uniqueName(handle) : undefined);
  const res = await c.patch("/api/v1/users/me", { displayName });
  expect(res.status).toBe(200);
  c.user = res.data.user;
  return c;
}
const search = (c: Client, q: string, extra = "") => c.get(`/api/v1/search/users?q=${encodeURIComponent(q)}${extra}`);

describe("search: what matches", () => {
  it("folds case and accents, matches a prefix of the username or of any word of the name", async () => {
    const viewer = await signup();
    const jose = await person("José Núñez-Quiñónez", "zqjose");
    const other = await person("Joselyn Ørsted");
    for (const q of ["jose", "JOSÉ", "Jos", "nunez", "NÚÑ", "quinon", "jose nun", "nun jos", "zqjo", "@zqjose"]) {
      expect(ids((await search(viewer, q)).data.users), q).toContain(jose.user.id);
    }
    expect(ids((await search(viewer, "orst")).data.users)).toEqual([other.user.id]); // ø folds to o
    for (const q of ["ose", "unez", "jose xyz", "zqjosé_x"]) expect(ids((await search(viewer, q)).data.users), q).not.toContain(jose.user.id);
    const hit = (await search(viewer, "zqjose")).data.users[0];
    expect(hit).toEqual({ id: jose.user.id, username: jose.user.username, displayName: "José Núñez-Quiñónez", avatarUrl: null, isCelebrity: false, isFollowing: false, mutualFriendCount: 0 });
    expect(searchTerms("José Núñez-Quiñónez")).toEqual(["jose", "nunez", "quinonez"]);
  });

  it("follows a change of display name; never finds the viewer; finds nobody for a query of only symbols", async () => {
    const c = await person("Wilhelmina Xanthe");
    expect(ids((await search(c, "xanthe")).data.users)).toEqual([]); // the viewer never finds itself
    const viewer = await signup();
    expect(ids((await search(viewer, "xanthe")).data.users)).toEqual([c.user.id]);
    await c.patch("/api/v1/users/me", { displayName: "Yolanda Quux" });
    expect(ids((await search(viewer, "xanthe")).data.users)).toEqual([]);
    expect(ids((await search(viewer, "quux yol")).data.users)).toEqual([c.user.id]);
    expect((await search(viewer, "!!! ***")).data.users).toEqual([]);
  });

  it("ranks friends, then friends of friends by mutual friends, then people followed, then the rest by followers", async () => {
    const viewer = await signup();
    const [f1, f2] = [await signup(), await signup()];
    for (const f of [f1, f2]) await befriend(viewer, f);
    const friend = await person("Ondine Friend");
    await befriend(viewer, friend);
    const fof2 = await person("Ondine Two");
    for (const f of [f1, f2]) await befriend(f, fof2);
    const fof1 = await person("Ondine One");
    await befriend(f1, fof1);
    const followed = await person("Ondine Followed");
    await viewer.follow(followed.user.username);
    const popular = await person("Ondine Popular");
    const quiet = await person("Ondine Quiet");
    for (const f of [f1, f2, friend]) await f.follow(popular.user.username);
    const res = await search(viewer, "ondine");
    expect(ids(res.data.users)).toEqual([friend, fof2, fof1, followed, popular, quiet].map((c) => c.user.id));
    expect(res.data.users.map((u: { isFollowing: boolean; mutualFriendCount: number }) => [u.isFollowing, u.mutualFriendCount])).toEqual([
      [true, 0], [false, 2], [false, 1], [true, 0], [false, 0], [false, 0],
    ]);
    expect(ids((await search(viewer, "ondine", "&limit=2")).data.users)).toEqual([friend.user.id, fof2.user.id]);
  });

  it("leaves out users blocked either way", async () => {
    const viewer = await signup();
    const [blocked, blocker] = [await person("Perpetua Blocked"), await person("Perpetua Blocker")];
    const visible = await person("Perpetua Visible");
    await viewer.post(`/api/v1/users/${blocked.user.username}/block`);
    await blocker.post(`/api/v1/users/${viewer.user.username}/block`);
    expect(ids((await search(viewer, "perpetua")).data.users)).toEqual([visible.user.id]);
    expect(ids((await search(blocked, "perpetua")).data.users)).not.toContain(viewer.user.id);
  });
});

describe("search: input and cost", () => {
  it("400 VALIDATION_ERROR for a missing, blank or too long q and a bad limit; 401 signed out; limit above 20 is clamped", async () => {
    const viewer = await signup();
    for (const qs of ["", "q=", "q=%20%20", `q=${"a".repeat(51)}`, "q=ab&limit=0", "q=ab&limit=x"]) {
      const res = await viewer.get(`/api/v1/search/users?${qs}`);
      expect([res.status, res.code], qs).toEqual([400, "VALIDATION_ERROR"]);
    }
    expect((await viewer.get(`/api/v1/search/users?q=${"é".repeat(50)}`)).status).toBe(200); // 50 characters, 100 bytes
    expect((await anonymous().get("/api/v1/search/users?q=ab")).status).toBe(401);
    for (let i = 0; i < 22; i++) await person(`Clampy Number${i}`);
    expect((await search(viewer, "clampy", "&limit=100")).data.users).toHaveLength(20);
    expect((await search(viewer, "clampy")).data.users).toHaveLength(10);
  });

  it("is served by indexes: no table is scanned (EXPLAIN QUERY PLAN)", async () => {
    const viewer = await signup();
    for (const q of ["ada", "ada love", "é"]) {
      const statement = searchStatement(env.DB, viewer.user.id, parseQuery(q), 10) as unknown as { statement: string; params: unknown[] };
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement.statement}`).bind(...statement.params).all<{ detail: string }>();
      const scans = results.map((r) => r.detail).filter((d) => d.startsWith("SCAN "));
      // Only the statement's own small row sets are walked: the candidates, the viewer's friends, json_each.
      const allowed = /^SCAN (c|e|page|near|fof|wide|mf|my_friends|\(subquery-\d+\)|w VIRTUAL TABLE.*)$/;
      expect(scans.filter((d) => !allowed.test(d)), q).toEqual([]);
      expect(results.some((r) => r.detail.includes("SEARCH user_search_terms USING COVERING INDEX"))).toBe(parseQuery(q).words.length > 0);
    }
  });
});
