/**
 * Hybrid fan-out with the test threshold (CELEBRITY_THRESHOLD=5, FANOUT_BATCH_SIZE=4):
 * push below the threshold (followers' timelines), one outbox write at or above it (followers'
 * timelines untouched, posts merged at read time), crossing the threshold both ways, and the
 * durable job (tests/worker/limits/fanout-jobs.test.ts).
 *
 * Timelines are read from the objects themselves (before any feed read, which may rebuild them).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Client, drainFanout, duplicates, signup, signupMany, timelineIds } from "./helpers";

async function timelineHas(userId: string, postId: string): Promise<boolean> {
  return (await timelineIds(userId)).includes(postId);
}

async function feedIds(client: Client, mode: "latest" | "ranked"): Promise<string[]> {
  return (await client.wholeFeed(mode, 4)).map((p) => p.id);
}

async function followAll(fans: Client[], author: Client): Promise<void> {
  for (const fan of fans) await fan.follow(author.user.username);
}

describe("push path (fewer than 5 followers)", () => {
  it("delivers into every follower's timeline through the author's alarm; no outbox write", async () => {
    const author = await signup();
    const fans = await signupMany(4, "pf");
    await followAll(fans, author);
    const post = await author.createPost("pushed");
    expect(post.author.isCelebrity).toBe(false);
    // the job was recorded with the post
    await drainFanout(author.user.id);
    for (const fan of fans) expect(await timelineHas(fan.user.id, post.id)).toBe(true);
    expect(await timelineHas(author.user.id, post.id)).toBe(true);
    const outbox = await env.CELEBRITY_FEED.getByName(author.user.id).inspect();
    expect(outbox.outboxSize).toBe(0);
    for (const fan of fans) {
      expect(await feedIds(fan, "latest")).toEqual([post.id]);
      expect(await feedIds(fan, "ranked")).toEqual([post.id]);
    }
  });

  it("a friends-only post is pushed to friends only", async () => {
    const author = await signup();
    const [friend, follower] = await signupMany(2, "pp");
    await followAll([friend, follower], author);
    await author.follow(friend.user.username);
    const post = await author.createPost("friends only", { privacy: "friends" });
    await drainFanout(author.user.id);
    expect(await timelineHas(friend.user.id, post.id)).toBe(true);
    expect(await timelineHas(follower.user.id, post.id)).toBe(false);
    expect(await feedIds(friend, "latest")).toEqual([post.id]);
    expect(await feedIds(follower, "latest")).toEqual([]);
    expect(await feedIds(follower, "ranked")).toEqual([]);
  });
});

describe("pull path (5 or more followers)", () => {
  it("one outbox entry; followers' timelines untouched; followers still see it, merged at read time", async () => {
    const star = await signup();
    const fans = await signupMany(5, "cf");
    await followAll(fans, star);
    const post = await star.createPost("from the stage");
    expect(post.author.isCelebrity).toBe(true);
    await drainFanout(star.user.id);
    const outbox = await env.CELEBRITY_FEED.getByName(star.user.id).inspect();
    expect(outbox.outboxSize).toBe(1);
    expect(outbox.outboxNewest.map((r: { post_id: string }) => r.post_id)).toEqual([post.id]);
    for (const fan of fans) expect(await timelineHas(fan.user.id, post.id)).toBe(false);
    // the author's own timeline still holds it
    expect(await timelineHas(star.user.id, post.id)).toBe(true);
    for (const fan of fans) {
      expect(await feedIds(fan, "latest")).toEqual([post.id]);
      expect(await feedIds(fan, "ranked")).toEqual([post.id]);
    }
    // someone who does not follow does not get it
    const stranger = await signup();
    expect(await feedIds(stranger, "latest")).toEqual([]);
  });

  it("a new follower of a celebrity sees the celebrity's earlier posts (pulled, no backfill needed)", async () => {
    const star = await signup();
    await followAll(await signupMany(5, "cn"), star);
    const p1 = await star.createPost("old news");
    await drainFanout(star.user.id);
    const late = await signup();
    await late.follow(star.user.username);
    expect(await feedIds(late, "latest")).toEqual([p1.id]);
    await late.del(`/api/v1/users/${star.user.username}/follow`);
    expect(await feedIds(late, "latest")).toEqual([]);
  });
});

describe("crossing the threshold", () => {
  it("upwards and back down, every follower's feed stays complete (before and after)", async () => {
    const star = await signup();
    const fans = await signupMany(7, "cx");
    await followAll(fans.slice(0, 4), star);

    const p1 = await star.createPost("p1: pushed to 4");
    await drainFanout(star.user.id);
    for (const fan of fans.slice(0, 4)) expect(await timelineHas(fan.user.id, p1.id)).toBe(true);

    await fans[4].follow(star.user.username); // 5 followers now: the next post takes the pull path
    expect(await timelineHas(fans[4].user.id, p1.id)).toBe(true); // follow backfill
    const p2 = await star.createPost("p2: outbox");
    expect(p2.author.isCelebrity).toBe(true);
    await drainFanout(star.user.id);
    for (const fan of fans.slice(0, 5)) expect(await timelineHas(fan.user.id, p2.id)).toBe(false);
    expect((await env.CELEBRITY_FEED.getByName(star.user.id).inspect()).outboxNewest.map((r: { post_id: string }) => r.post_id)).toEqual([p2.id]);

    await fans[5].follow(star.user.username); // a follower who joins while a celebrity
    for (const fan of fans.slice(0, 6)) {
      expect(await feedIds(fan, "latest")).toEqual([p2.id, p1.id]);
      expect(new Set(await feedIds(fan, "ranked"))).toEqual(new Set([p1.id, p2.id]));
    }

    // Back below the threshold: two leave (6 -> 4 followers), the next post is pushed again.
    await fans[4].del(`/api/v1/users/${star.user.username}/follow`);
    await fans[5].del(`/api/v1/users/${star.user.username}/follow`);
    const p3 = await star.createPost("p3: pushed again");
    expect(p3.author.isCelebrity).toBe(false);
    await drainFanout(star.user.id);
    for (const fan of fans.slice(0, 4)) expect(await timelineHas(fan.user.id, p3.id)).toBe(true);
    expect((await env.CELEBRITY_FEED.getByName(star.user.id).inspect()).outboxSize).toBe(1);
    await fans[6].follow(star.user.username); // joins after dropping back

    for (const fan of [...fans.slice(0, 4), fans[6]]) {
      const latest = await feedIds(fan, "latest");
      expect(latest).toEqual([p3.id, p2.id, p1.id]);
      const ranked = await feedIds(fan, "ranked");
      expect(duplicates(ranked)).toEqual([]);
      expect(new Set(ranked)).toEqual(new Set([p1.id, p2.id, p3.id]));
    }
    for (const gone of [fans[4], fans[5]]) expect(await feedIds(gone, "latest")).toEqual([]);
  });
});

// The durable job (resumed after an interrupted alarm, retried after a failing delivery) needs a
// push fan-out of several batches, i.e. more followers than this project's celebrity threshold:
// see tests/worker/limits/fanout-jobs.test.ts.
