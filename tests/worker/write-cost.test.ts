/**
 * Issue 14 item 2: a post, a like, a comment and a follow each cost ONE D1 round trip. The
 * worker checks only the signed cookie (the viewer's UserFeed checks the session, and has it
 * cached after the session's first mutation); the object runs the op as one batch (for a post
 * the rate limit's counter is in it too). Counted on the real bindings (cost-helpers.ts).
 */
import { describe, expect, it } from "vitest";
import { countedRequest } from "./cost-helpers";
import { drainFanout, keyed, signup } from "./helpers";

describe("D1 round trips per write", () => {
  it("post, like, unlike, comment, follow, unfollow: 0 in the worker, 1 in the object; share: 2", async () => {
    const [me, author, other] = [await signup(), await signup(), await signup()];
    const theirs = await author.createPost("a post to like and comment on");
    await drainFanout(author.user.id);
    // The session's first mutation makes the object confirm the session in D1 (then it is trusted 60 s).
    await me.createPost("warm-up");
    await drainFanout(me.user.id);
    const out: Record<string, { worker: number; object: number; statements: number }> = {};
    const writes: [string, string, string, unknown?, Record<string, string>?][] = [
      ["post", "POST", "/api/v1/posts", { content: "hello" }, keyed()],
      ["like", "POST", `/api/v1/posts/${theirs.id}/like`],
      ["unlike", "DELETE", `/api/v1/posts/${theirs.id}/like`],
      ["comment", "POST", `/api/v1/posts/${theirs.id}/comments`, { content: "nice" }, keyed()],
      ["follow", "POST", `/api/v1/users/${other.user.username}/follow`],
      ["unfollow", "DELETE", `/api/v1/users/${other.user.username}/follow`],
      ["follow (with backfill)", "POST", `/api/v1/users/${author.user.username}/follow`],
      ["share", "POST", `/api/v1/posts/${theirs.id}/share`, {}, keyed()],
    ];
    for (const [name, method, path, body, headers] of writes) {
      const counted = await countedRequest(me, me.user.id, method, path, body, headers);
      expect(counted.status, `${name}: ${JSON.stringify(counted.body)}`).toBeLessThan(300);
      console.log(`WRITE cost trace ${name}: worker ${JSON.stringify(counted.worker.trace)} object ${JSON.stringify(counted.object.trace)}`);
      // The post's fan-out runs from the object's alarm, which may fire while the request is still
      // being answered: its follower page is background work, not the request's, and is left out.
      const fanout = counted.object.trace!.filter((t) => t.startsWith("D1 all: WITH viewers")).length;
      const object = counted.object.d1Calls - fanout;
      out[name] = { worker: counted.worker.d1Calls, object, statements: counted.object.d1Statements };
      expect(counted.worker.d1Calls, name).toBe(0);
      expect(counted.worker.objectCalls, name).toBe(1);
      // A share first checks the post it shares (which must be visible), then writes: 2.
      expect(object, name).toBe(name === "share" ? 2 : 1);
      await drainFanout(me.user.id);
    }
    console.log(`WRITE cost ${JSON.stringify(out)}`);
    // The follow's backfill came from its own batch: the author's post is in my timeline.
    const feed = await me.get("/api/v1/feed?mode=latest&limit=20");
    expect(feed.data.posts.map((p: { id: string }) => p.id)).toContain(theirs.id);
  });

  it("a mutation with an ended session is refused by the object: 401, nothing written", async () => {
    const me = await signup();
    const cookie = me.cookie;
    await me.post("/api/v1/auth/logout");
    me.cookie = cookie;
    const res = await me.post("/api/v1/posts", { content: "after logout" }, keyed());
    expect([res.status, res.code]).toEqual([401, "UNAUTHENTICATED"]);
    const like = await me.post(`/api/v1/users/${(await signup()).user.username}/follow`);
    expect(like.status).toBe(401);
  });
});
