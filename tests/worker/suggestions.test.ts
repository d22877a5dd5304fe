/**
 * API.md: GET /users/me/suggestions and POST /users/me/suggestions/:username/dismiss. Friends of
 * friends by mutual count, then popular accounts; never the viewer, someone the viewer follows, a
 * user blocked either way, or a dismissed one; follows made before the request count.
 */
import { describe, expect, it } from "vitest";
import { anonymous, befriend, ids, signup, type Client } from "./helpers";

const suggest = async (c: Client, limit = 20) => {
  const res = await c.get(`/api/v1/users/me/suggestions?limit=${limit}`);
  expect(res.status).toBe(200);
  return res.data.users as { id: string; reason: string; mutualFriendCount: number }[];
};

describe("people you may know", () => {
  it("friends of friends first, by mutual friends, with the count and reason; then popular accounts by followers", async () => {
    const viewer = await signup();
    const [f1, f2, f3] = [await signup(), await signup(), await signup()];
    for (const f of [f1, f2, f3]) await befriend(viewer, f);
    const three = await signup();
    for (const f of [f1, f2, f3]) await befriend(f, three);
    const one = await signup();
    await befriend(f1, one);
    const oneWay = await signup(); // followed by f1, does not follow back: not a friend of a friend
    await f1.follow(oneWay.user.username);
    const list = await suggest(viewer);
    const near = list.filter((u) => u.reason === "mutual_friends");
    expect(near.map((u) => [u.id, u.mutualFriendCount])).toEqual([
      [three.user.id, 3],
      [one.user.id, 1],
    ]);
    expect(list.slice(0, 2)).toEqual(near);
    expect(list[0]).toMatchObject({ username: three.user.username, displayName: three.user.displayName, avatarUrl: null, isCelebrity: false });
    const rest = list.slice(2);
    expect(rest.every((u) => u.reason === "popular" && u.mutualFriendCount === 0)).toBe(true);
    expect(ids(rest)).toContain(oneWay.user.id);
    const followers = await Promise.all(rest.map(async (u) => (await viewer.get(`/api/v1/users/${(u as unknown as { username: string }).username}`)).data.user.followerCount));
    expect(followers).toEqual([...followers].sort((a, b) => b - a));
  });

  it("never the viewer, someone followed, blocked either way, or dismissed; a follow made before the request counts", async () => {
    const viewer = await signup();
    const friend = await signup();
    await befriend(viewer, friend);
    const [a, b, c, d] = [await signup(), await signup(), await signup(), await signup()];
    for (const x of [a, b, c, d]) await befriend(friend, x);
    const near = async () => ids((await suggest(viewer)).filter((u) => u.reason === "mutual_friends"));
    expect(new Set(await near())).toEqual(new Set([a, b, c, d].map((x) => x.user.id)));
    await viewer.follow(a.user.username);
    await viewer.post(`/api/v1/users/${b.user.username}/block`);
    await c.post(`/api/v1/users/${viewer.user.username}/block`);
    const dismissed = await viewer.post(`/api/v1/users/me/suggestions/${d.user.username}/dismiss`);
    expect([dismissed.status, dismissed.data]).toEqual([200, {}]);
    expect(await near()).toEqual([]);
    const all = ids(await suggest(viewer));
    for (const x of [viewer, friend, a, b, c, d]) expect(all, x.user.username).not.toContain(x.user.id);
    // A dismissal lasts, even once unfollowed; a new friend's friends appear at once.
    await viewer.del(`/api/v1/users/${a.user.username}/follow`);
    expect(await near()).toEqual([a.user.id]);
    const newFriend = await signup();
    const theirFriend = await signup();
    await befriend(newFriend, theirFriend);
    await befriend(viewer, newFriend);
    expect(new Set(await near())).toEqual(new Set([a.user.id, theirFriend.user.id]));
  });

  it("popular accounts for someone with no friends yet, never the viewer or followed accounts", async () => {
    const star = await signup();
    const fans = await Promise.all(Array.from({ length: 7 }, () => signup()));
    for (const f of fans) await f.follow(star.user.username); // more followers than anyone else in this file
    const newcomer = await signup();
    const list = await suggest(newcomer, 5);
    expect(list).toHaveLength(5);
    expect(list.every((u) => u.reason === "popular")).toBe(true);
    expect(ids(list)[0]).toBe(star.user.id);
    expect(ids(list)).not.toContain(newcomer.user.id);
    await newcomer.follow(star.user.username);
    expect(ids(await suggest(newcomer, 20))).not.toContain(star.user.id);
  });

  it("bad input: dismiss of an unknown or blocked user is 404; limit 10 by default, above 20 clamped, 0 is 400; 401 signed out", async () => {
    const viewer = await signup();
    expect((await viewer.post("/api/v1/users/me/suggestions/nobody_here_at_all/dismiss")).status).toBe(404);
    const blocker = await signup();
    await blocker.post(`/api/v1/users/${viewer.user.username}/block`);
    expect((await viewer.post(`/api/v1/users/me/suggestions/${blocker.user.username}/dismiss`)).status).toBe(404);
    expect((await viewer.post(`/api/v1/users/me/suggestions/${viewer.user.username}/dismiss`)).status).toBe(200);
    for (let i = 0; i < 21; i++) await signup();
    expect((await viewer.get("/api/v1/users/me/suggestions")).data.users).toHaveLength(10);
    expect((await viewer.get("/api/v1/users/me/suggestions?limit=500")).data.users).toHaveLength(20);
    expect((await viewer.get("/api/v1/users/me/suggestions?limit=0")).code).toBe("VALIDATION_ERROR");
    expect((await anonymous().get("/api/v1/users/me/suggestions")).status).toBe(401);
  });
});
