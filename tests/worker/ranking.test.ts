/**
 * The ranking formula (core/feed/ranking.ts) is SQL, evaluated by D1 inside a ranked page's
 * statement: its ordering properties are tested here on literal rows in the real D1, and mode=ranked
 * is checked to return that order for a small world.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Post } from "../../schema/api";
import { interactionsByAuthorStatement, rankOrderSql, scoreSql, type ScoreParams } from "../../core/feed/ranking";
import { drainFanout, ids, inUserFeed, keyed, signup, signupMany } from "./helpers";

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const HOUR = 3_600_000;

interface RankInput {
  id: string;
  authorId: string;
  likeCount: number;
  commentCount: number;
  shareCount: number;
  createdAtMs: number;
}
interface RankContext {
  now: number;
  viewerId: string;
  /** The viewer's likes + comments per author. */
  interactions: Map<string, number>;
}

const ctx = (interactions: Record<string, number> = {}, viewerId = "viewer"): RankContext => ({
  now: NOW,
  viewerId,
  interactions: new Map(Object.entries(interactions)),
});
const post = (id: string, over: Partial<RankInput> = {}): RankInput => ({
  id,
  authorId: "someone",
  likeCount: 0,
  commentCount: 0,
  shareCount: 0,
  createdAtMs: NOW - HOUR,
  ...over,
});

/** The formula's scores and order for literal rows, computed by D1 with the feed's own SQL. */
async function evaluate(posts: RankInput[], c: RankContext): Promise<{ order: string[]; score: Map<string, number> }> {
  const rows = posts.map((p) => ({ ...p, n: c.interactions.get(p.authorId) ?? 0 }));
  const params: ScoreParams = { viewer: "?2", now: "?3" };
  const { results } = await env.DB.prepare(
    `WITH p(id, author_id, like_count, comment_count, share_count, created_at, n) AS (
       SELECT value->>'id', value->>'authorId', value->>'likeCount', value->>'commentCount', value->>'shareCount', value->>'createdAtMs', value->>'n'
       FROM json_each(?1))
     SELECT p.id, ${scoreSql(params, "p.n")} AS score FROM p ORDER BY ${rankOrderSql(params, "p.n")}`,
  )
    .bind(JSON.stringify(rows), c.viewerId, c.now)
    .all<{ id: string; score: number }>();
  return { order: results.map((r) => r.id), score: new Map(results.map((r) => [r.id, r.score])) };
}
const rankPosts = async (posts: RankInput[], c: RankContext) => (await evaluate(posts, c)).order;
const scorePost = async (p: RankInput, c: RankContext) => (await evaluate([p], c)).score.get(p.id)!;

describe("the ranking formula", () => {
  it("newer beats older at equal engagement", async () => {
    const older = post("a", { createdAtMs: NOW - 5 * HOUR, likeCount: 3 });
    const newer = post("b", { createdAtMs: NOW - 1 * HOUR, likeCount: 3 });
    expect(await scorePost(newer, ctx())).toBeGreaterThan(await scorePost(older, ctx()));
    expect(await rankPosts([older, newer], ctx())).toEqual(["b", "a"]);
  });

  it("more engagement wins at equal age, for each kind of engagement", async () => {
    const plain = post("a");
    for (const more of [{ likeCount: 1 }, { commentCount: 1 }, { shareCount: 1 }]) {
      expect(await rankPosts([plain, post("z", more)], ctx())).toEqual(["z", "a"]);
    }
    // comments weigh more than likes, shares more than comments
    expect(await rankPosts([post("l", { likeCount: 1 }), post("c", { commentCount: 1 }), post("s", { shareCount: 1 })], ctx())).toEqual(["s", "c", "l"]);
  });

  it("affinity wins: the author the viewer interacts with ranks higher at equal age and engagement", async () => {
    const liked = post("a", { authorId: "friend" });
    const other = post("b", { authorId: "stranger" });
    expect(await rankPosts([liked, other], ctx({ friend: 4 }))).toEqual(["a", "b"]);
    expect(await rankPosts([liked, other], ctx({ stranger: 4 }))).toEqual(["b", "a"]);
    // more interactions, more affinity
    expect(await scorePost(liked, ctx({ friend: 10 }))).toBeGreaterThan(await scorePost(liked, ctx({ friend: 1 })));
  });

  it("the viewer's own posts get a boost over others' at equal age and engagement", async () => {
    const own = post("a", { authorId: "viewer" });
    const other = post("b", { authorId: "someone" });
    expect(await rankPosts([own, other], ctx())).toEqual(["a", "b"]);
    expect((await scorePost(own, ctx())) / (await scorePost(other, ctx()))).toBeCloseTo(1.5, 10);
  });

  it("equal scores tie-break by id, newest (largest) first, whatever the input order", async () => {
    const a = post("01AAAA");
    const b = post("01BBBB");
    const c = post("01CCCC");
    expect(await rankPosts([a, b, c], ctx())).toEqual(["01CCCC", "01BBBB", "01AAAA"]);
    expect(await rankPosts([c, a, b], ctx())).toEqual(["01CCCC", "01BBBB", "01AAAA"]);
  });

  it("recency decays: an old viral post sinks below a fresh one; logarithms tame huge counts", async () => {
    const viral = post("v", { createdAtMs: NOW - 48 * HOUR, likeCount: 1000, commentCount: 200 });
    const fresh = post("f", { createdAtMs: NOW });
    expect(await rankPosts([viral, fresh], ctx())).toEqual(["f", "v"]);
    const x = await scorePost(post("x", { likeCount: 10 }), ctx());
    const y = await scorePost(post("y", { likeCount: 10_000 }), ctx());
    expect(y / x).toBeLessThan(4);
    // documented formula: (1 + engagement) × affinity ÷ (ageHours + 2)^1.5
    const p = post("p", { likeCount: 2, commentCount: 1, shareCount: 3, createdAtMs: NOW - 2 * HOUR, authorId: "a" });
    const expected = ((1 + Math.log1p(2) + 2 * Math.log1p(1) + 3 * Math.log1p(3)) * (1 + 0.5 * Math.log1p(5))) / Math.pow(4, 1.5);
    expect(await scorePost(p, ctx({ a: 5 }))).toBeCloseTo(expected, 12);
  });

  it("future timestamps (clock skew) do not blow up the score", async () => {
    const skewed = post("s", { createdAtMs: NOW + 10 * HOUR });
    expect(Number.isFinite(await scorePost(skewed, ctx()))).toBe(true);
    expect(await scorePost(skewed, ctx())).toBe(await scorePost(post("t", { createdAtMs: NOW }), ctx()));
  });
});

describe("mode=ranked returns the formula's order", () => {
  it("a small world: engagement, own boost and affinity reorder the chronological feed", async () => {
    const viewer = await signup();
    const [popular, liked, plain] = await signupMany(3, "rk");
    const fans = await signupMany(4, "rkfan");
    for (const a of [popular, liked, plain]) await viewer.follow(a.user.username);

    // oldest first: a popular post (likes, comments, a share), a post by an author the viewer
    // interacts with, a plain post, and the viewer's own post (newest)
    const pPopular = await popular.createPost("popular");
    const pAffinityOld = await liked.createPost("an older post by someone the viewer likes");
    const pAffinity = await liked.createPost("by someone the viewer likes");
    const pPlain = await plain.createPost("plain");
    const pOwn = await viewer.createPost("own");
    for (const fan of fans) {
      await fan.post(`/api/v1/posts/${pPopular.id}/like`);
      await fan.post(`/api/v1/posts/${pPopular.id}/comments`, { content: "wow" }, keyed());
    }
    await fans[0].post(`/api/v1/posts/${pPopular.id}/share`, {}, keyed());
    // the viewer's interactions with `liked`: three comments on its older post
    for (let i = 0; i < 3; i++) await viewer.post(`/api/v1/posts/${pAffinityOld.id}/comments`, { content: `c${i}` }, keyed());
    for (const a of [popular, liked, plain]) await drainFanout(a.user.id);

    const latest = ids(await viewer.wholeFeed("latest", 10));
    expect(latest).toEqual([pOwn.id, pPlain.id, pAffinity.id, pAffinityOld.id, pPopular.id]);

    const res = await viewer.get("/api/v1/feed?mode=ranked&limit=10");
    const ranked: Post[] = res.data.posts;
    // what the formula says for these posts as served (counts and times from the response)
    const interactions = new Map([[liked.user.id, 3]]);
    const now = Date.now();
    const expected = await rankPosts(
      ranked.map((p) => ({ ...p, createdAtMs: Date.parse(p.createdAt) })),
      { now, viewerId: viewer.user.id, interactions },
    );
    expect(ids(ranked)).toEqual(expected);
    // and concretely: engagement first, then affinity (its comments count too), own boost, plain last
    expect(ids(ranked)).toEqual([pPopular.id, pAffinityOld.id, pAffinity.id, pOwn.id, pPlain.id]);
  });
});

describe("the viewer's affinity lives in the viewer's UserFeed (issue 14 item 3)", () => {
  it("is kept current by likes, unlikes, comments and deletes, equals D1's count, is what a ranked page uses, and is rebuilt when absent", async () => {
    const viewer = await signup();
    const [a, b] = await signupMany(2, "af");
    for (const author of [a, b]) await viewer.follow(author.user.username);
    const pA = await a.createPost("by a, older");
    const pB = await b.createPost("by b, newer");
    for (const author of [a, b]) await drainFanout(author.user.id);
    await viewer.get("/api/v1/feed?mode=latest"); // the first read builds the counts from D1
    const held = async () => (await env.USER_FEED.getByName(viewer.user.id).inspect()).affinity;
    const inD1 = async () => {
      const { results } = await interactionsByAuthorStatement(env.DB, viewer.user.id).all<{ author_id: string; n: number }>();
      return Object.fromEntries(results.map((r) => [r.author_id, r.n]));
    };
    const comment = async (postId: string) => (await viewer.post(`/api/v1/posts/${postId}/comments`, { content: "hi" }, keyed())).data.comment.id as string;
    expect(await held()).toEqual({});

    const steps: [string, () => Promise<unknown>, Record<string, number>][] = [
      ["like", () => viewer.post(`/api/v1/posts/${pA.id}/like`), { [a.user.id]: 1 }],
      ["like again (no change)", () => viewer.post(`/api/v1/posts/${pA.id}/like`), { [a.user.id]: 1 }],
      ["two comments", async () => [await comment(pA.id), await comment(pA.id)], { [a.user.id]: 3 }],
      ["unlike", () => viewer.del(`/api/v1/posts/${pA.id}/like`), { [a.user.id]: 2 }],
      ["comment on b", () => comment(pB.id), { [a.user.id]: 2, [b.user.id]: 1 }],
    ];
    let commentIds: string[] = [];
    for (const [name, run, expected] of steps) {
      const result = await run();
      if (Array.isArray(result)) commentIds = result as string[];
      expect(await held(), name).toEqual(expected);
      expect(await inD1(), name).toEqual(expected);
    }
    expect((await viewer.del(`/api/v1/comments/${commentIds[0]}`)).status).toBe(200);
    expect(await held()).toEqual({ [a.user.id]: 1, [b.user.id]: 1 });
    expect(await inD1()).toEqual(await held());

    // A ranked page ranks by the object's counts, not by counting in D1: told that the viewer
    // interacts with one author a thousand times, the page puts that author's post first.
    const first = async () => (await viewer.get("/api/v1/feed?mode=ranked&limit=10")).data.posts[0].id;
    await inUserFeed(viewer.user.id, (feed) => feed.affinity.add(a.user.id, 1000));
    expect(await first()).toBe(pA.id);
    await inUserFeed(viewer.user.id, (feed) => (feed.affinity.add(a.user.id, -1000), feed.affinity.add(b.user.id, 1000)));
    expect(await first()).toBe(pB.id);

    // Gone (storage from before this table, say): the next read rebuilds them from D1.
    await inUserFeed(viewer.user.id, (_feed, state) => {
      state.storage.sql.exec("DELETE FROM affinity");
      state.storage.sql.exec("DELETE FROM meta WHERE key = 'affinityBuiltAt'");
    });
    await viewer.get("/api/v1/feed?mode=ranked");
    expect(await held()).toEqual({ [a.user.id]: 1, [b.user.id]: 1 });
  });
});
