/**
 * API.md "Users and the social graph": profiles with counts and viewer relations, profile edits,
 * follow/unfollow (idempotent, exact counts), follower/following lists and profile posts, paged.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { befriend, duplicates, profilePostIds, signup, signupMany, uniqueName } from "./helpers";

describe("GET /users/:username", () => {
  it("200 {user: UserProfile} with counts and the viewer's relations", async () => {
    const [alice, bob] = await signupMany(2, "prof");
    await alice.follow(bob.user.username);
    const seenByAlice = await alice.get(`/api/v1/users/${bob.user.username}`);
    expect(seenByAlice.status).toBe(200);
    expect(seenByAlice.data.user).toMatchObject({
      id: bob.user.id,
      username: bob.user.username,
      displayName: bob.user.displayName,
      avatarUrl: null,
      bio: null,
      followerCount: 1,
      followingCount: 0,
      isCelebrity: false,
      isFollowing: true,
      isFollowedBy: false,
      mutualFriends: [],
      mutualFriendCount: 0,
    });
    const seenByBob = await bob.get(`/api/v1/users/${alice.user.username}`);
    expect(seenByBob.data.user).toMatchObject({ followerCount: 0, followingCount: 1, isFollowing: false, isFollowedBy: true });
    const self = await bob.get(`/api/v1/users/${bob.user.username}`);
    expect(self.data.user).toMatchObject({ isFollowing: false, isFollowedBy: false });
  });

  it("lists mutual friends: users who are friends of both the viewer and the profile's user", async () => {
    const [viewer, target, common, onlyViewers, onlyTargets, oneWay] = await signupMany(6, "mut");
    await befriend(viewer, common);
    await befriend(target, common);
    await befriend(viewer, onlyViewers);
    await befriend(target, onlyTargets);
    // oneWay follows both but nobody follows back: not a friend of either
    await oneWay.follow(viewer.user.username);
    await oneWay.follow(target.user.username);
    const res = await viewer.get(`/api/v1/users/${target.user.username}`);
    expect(res.data.user.mutualFriendCount).toBe(1);
    expect(res.data.user.mutualFriends.map((u: { id: string }) => u.id)).toEqual([common.user.id]);
    expect(res.data.user.mutualFriends[0]).toMatchObject({ username: common.user.username, displayName: common.user.displayName });
  });

  it("isCelebrity from the threshold (CELEBRITY_THRESHOLD=5 in tests)", async () => {
    const star = await signup(uniqueName("star"));
    const fans = await signupMany(5, "fan");
    for (const fan of fans.slice(0, 4)) await fan.follow(star.user.username);
    expect((await star.get(`/api/v1/users/${star.user.username}`)).data.user.isCelebrity).toBe(false);
    await fans[4].follow(star.user.username);
    const res = await star.get(`/api/v1/users/${star.user.username}`);
    expect(res.data.user.followerCount).toBe(5);
    expect(res.data.user.isCelebrity).toBe(true);
  });

  it("404 USER_NOT_FOUND for an unknown username", async () => {
    const viewer = await signup();
    const res = await viewer.get(`/api/v1/users/${uniqueName("ghost")}`);
    expect(res.status).toBe(404);
    expect(res.code).toBe("USER_NOT_FOUND");
  });
});

describe("PATCH /users/me", () => {
  it("200 {user} with the changes; bio can be cleared", async () => {
    const me = await signup();
    const res = await me.patch("/api/v1/users/me", { displayName: "New Name", bio: "hello there", avatarUrl: "https://img.example/a.png" });
    expect(res.status).toBe(200);
    expect(res.data.user).toMatchObject({ id: me.user.id, displayName: "New Name", bio: "hello there", avatarUrl: "https://img.example/a.png" });
    const profile = await me.get(`/api/v1/users/${me.user.username}`);
    expect(profile.data.user).toMatchObject({ displayName: "New Name", bio: "hello there" });
    const cleared = await me.patch("/api/v1/users/me", { bio: null, avatarUrl: null });
    expect(cleared.data.user).toMatchObject({ displayName: "New Name", bio: null, avatarUrl: null });
    const noop = await me.patch("/api/v1/users/me", {});
    expect(noop.status).toBe(200);
    expect(noop.data.user.displayName).toBe("New Name");
  });

  it.each([
    ["an empty display name", { displayName: "   " }],
    ["a too long display name", { displayName: "x".repeat(81) }],
    ["a too long bio", { bio: "x".repeat(501) }],
    ["a javascript: avatar", { avatarUrl: "javascript:alert(1)" }],
    ["a non-URL avatar", { avatarUrl: "not a url" }],
    ["an unknown field", { username: "renamed" }],
    ["a wrong type", { displayName: 42 }],
  ])("400 VALIDATION_ERROR for %s", async (_what, body) => {
    const me = await signup();
    const res = await me.patch("/api/v1/users/me", body);
    expect(res.status).toBe(400);
    expect(res.code).toBe("VALIDATION_ERROR");
    const after = await me.get("/api/v1/auth/me");
    expect(after.data.user.username).toBe(me.user.username);
    expect(after.data.user.displayName).toBe(me.user.displayName);
  });
});

describe("POST/DELETE /users/:username/follow", () => {
  it("follow: 200 {following: true, followerCount}, idempotent; unfollow: 200 {following: false, followerCount}, idempotent", async () => {
    const [a, b, c] = await signupMany(3, "fol");
    const first = await a.post(`/api/v1/users/${c.user.username}/follow`);
    expect(first.status).toBe(200);
    expect(first.data).toEqual({ following: true, followerCount: 1 });
    const again = await a.post(`/api/v1/users/${c.user.username}/follow`);
    expect(again.data).toEqual({ following: true, followerCount: 1 });
    expect((await b.post(`/api/v1/users/${c.user.username}/follow`)).data).toEqual({ following: true, followerCount: 2 });

    const counts = async () => {
      const r = await env.DB.prepare("SELECT follower_count, following_count FROM users WHERE id = ?").bind(a.user.id).first<any>();
      const rc = await env.DB.prepare("SELECT follower_count FROM users WHERE id = ?").bind(c.user.id).first<any>();
      return { aFollowing: r.following_count, cFollowers: rc.follower_count };
    };
    expect(await counts()).toEqual({ aFollowing: 1, cFollowers: 2 });

    const un = await a.del(`/api/v1/users/${c.user.username}/follow`);
    expect(un.status).toBe(200);
    expect(un.data).toEqual({ following: false, followerCount: 1 });
    const unAgain = await a.del(`/api/v1/users/${c.user.username}/follow`);
    expect(unAgain.data).toEqual({ following: false, followerCount: 1 });
    expect(await counts()).toEqual({ aFollowing: 0, cFollowers: 1 });

    // Unfollowing someone never followed changes nothing either.
    expect((await a.del(`/api/v1/users/${b.user.username}/follow`)).data).toEqual({ following: false, followerCount: 0 });
  });

  it("exact counts when many follow at once", async () => {
    const star = await signup(uniqueName("many"));
    const fans = await signupMany(12, "mf");
    const results = await Promise.all(fans.flatMap((f) => [f.post(`/api/v1/users/${star.user.username}/follow`), f.post(`/api/v1/users/${star.user.username}/follow`)]));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const profile = await star.get(`/api/v1/users/${star.user.username}`);
    expect(profile.data.user.followerCount).toBe(12);
    const edges = await env.DB.prepare("SELECT COUNT(*) AS n FROM follows WHERE followee_id = ?").bind(star.user.id).first<{ n: number }>();
    expect(edges?.n).toBe(12);
  });

  it("400 CANNOT_FOLLOW_SELF; unfollowing oneself is a harmless no-op", async () => {
    const me = await signup();
    const res = await me.post(`/api/v1/users/${me.user.username}/follow`);
    expect(res.status).toBe(400);
    expect(res.code).toBe("CANNOT_FOLLOW_SELF");
    const un = await me.del(`/api/v1/users/${me.user.username}/follow`);
    expect(un.status).toBe(200);
    expect(un.data.following).toBe(false);
    expect((await me.get("/api/v1/auth/me")).data.user).toMatchObject({ followerCount: 0, followingCount: 0 });
  });

  it("404 USER_NOT_FOUND following or unfollowing an unknown user", async () => {
    const me = await signup();
    const ghost = uniqueName("ghost");
    const f = await me.post(`/api/v1/users/${ghost}/follow`);
    expect(f.status).toBe(404);
    expect(f.code).toBe("USER_NOT_FOUND");
    const u = await me.del(`/api/v1/users/${ghost}/follow`);
    expect(u.status).toBe(404);
    expect(u.code).toBe("USER_NOT_FOUND");
  });
});

describe("GET /users/:username/followers and /following", () => {
  it("pages through every follower and followee exactly once", async () => {
    const hub = await signup(uniqueName("hub"));
    const fans = await signupMany(7, "lf");
    for (const fan of fans) await fan.follow(hub.user.username);
    for (const fan of fans.slice(0, 5)) await hub.follow(fan.user.username);

    async function walk(path: string): Promise<string[]> {
      const out: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 50; i++) {
        const res: any = await hub.get(`${path}?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
        expect(res.status).toBe(200);
        expect(res.data.users.length).toBeLessThanOrEqual(3);
        // UserSummary plus the viewer's own follow state (README, API: for the list's follow buttons).
        for (const u of res.data.users) expect(Object.keys(u).sort()).toEqual(["avatarUrl", "displayName", "id", "isCelebrity", "isFollowing", "username"]);
        out.push(...res.data.users.map((u: { id: string }) => u.id));
        if (!res.data.pagination.hasMore) {
          expect(res.data.pagination.nextCursor).toBeNull();
          return out;
        }
        cursor = res.data.pagination.nextCursor;
      }
      throw new Error("did not end");
    }
    const followers = await walk(`/api/v1/users/${hub.user.username}/followers`);
    expect(duplicates(followers)).toEqual([]);
    expect(new Set(followers)).toEqual(new Set(fans.map((f) => f.user.id)));
    const following = await walk(`/api/v1/users/${hub.user.username}/following`);
    expect(new Set(following)).toEqual(new Set(fans.slice(0, 5).map((f) => f.user.id)));
    expect(duplicates(following)).toEqual([]);
  });

  it("404 USER_NOT_FOUND for an unknown user; 400 INVALID_CURSOR / VALIDATION_ERROR for bad paging", async () => {
    const me = await signup();
    for (const list of ["followers", "following"]) {
      const res = await me.get(`/api/v1/users/${uniqueName("ghost")}/${list}`);
      expect(res.status).toBe(404);
      expect(res.code).toBe("USER_NOT_FOUND");
      expect((await me.get(`/api/v1/users/${me.user.username}/${list}?cursor=!!!`)).code).toBe("INVALID_CURSOR");
      expect((await me.get(`/api/v1/users/${me.user.username}/${list}?limit=0`)).code).toBe("VALIDATION_ERROR");
    }
  });
});

describe("GET /users/:username/posts", () => {
  it("200 FeedResponse of the author's posts, newest first, paged without duplicates or gaps", async () => {
    const author = await signup(uniqueName("auth"));
    const reader = await signup();
    const created: string[] = [];
    for (let i = 0; i < 11; i++) created.push((await author.createPost(`post ${i}`)).id);
    const first = await reader.get(`/api/v1/users/${author.user.username}/posts?limit=4`);
    expect(first.status).toBe(200);
    expect(first.data.posts).toHaveLength(4);
    expect(first.data.pagination.hasMore).toBe(true);
    expect(first.data.posts[0]).toMatchObject({ id: created[10], authorId: author.user.id, content: "post 10", isLiked: false });
    const all = await profilePostIds(reader, author.user.username, 4);
    expect(all).toEqual([...created].reverse());
  });

  it("an author with no posts: empty page, no cursor", async () => {
    const me = await signup();
    const res = await me.get(`/api/v1/users/${me.user.username}/posts`);
    expect(res.status).toBe(200);
    expect(res.data.posts).toEqual([]);
    expect(res.data.pagination).toMatchObject({ hasMore: false, nextCursor: null });
  });

  it("404 USER_NOT_FOUND for an unknown user", async () => {
    const me = await signup();
    const res = await me.get(`/api/v1/users/${uniqueName("ghost")}/posts`);
    expect(res.status).toBe(404);
    expect(res.code).toBe("USER_NOT_FOUND");
  });
});
