import { describe, expect, it } from "vitest";
import { signup } from "./helpers";

describe("smoke", () => {
  it("signs up, posts and reads the feed", async () => {
    const alice = await signup();
    const post = await alice.createPost("hello world");
    const feed = await alice.get("/api/v1/feed");
    expect(feed.status).toBe(200);
    expect(feed.data.posts.map((p: { id: string }) => p.id)).toEqual([post.id]);
  });
});
