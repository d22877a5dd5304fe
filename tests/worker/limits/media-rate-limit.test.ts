/**
 * The upload rate limit (POST /media → 429, "rate-limited per user like posting"): its own
 * per-user counter, MEDIA_RATE_LIMIT_PER_MINUTE=3 in this project (vitest.config.ts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expectRateLimited, freshMinuteWindow, signup } from "../helpers";
import { bucketKeysOf, upload } from "../media-helpers";
import { BASE_GIF, BASE_PNG } from "../../fixtures/images";

describe("MEDIA_RATE_LIMIT_PER_MINUTE=3", () => {
  it("the 4th upload in a minute gets 429 RATE_LIMITED with Retry-After and stores nothing; others and posting are unaffected; a limited key may be retried", async () => {
    expect(env.MEDIA_RATE_LIMIT_PER_MINUTE).toBe("3");
    const [me, other] = [await signup(), await signup()];
    await freshMinuteWindow(15_000);
    for (let i = 0; i < 3; i++) expect((await upload(me, BASE_PNG, "image/png")).status).toBe(201);
    const key = { "X-Idempotency-Key": "retry-me" };
    const limited = await upload(me, BASE_GIF, "image/gif", key);
    expectRateLimited({ ...limited, data: undefined });
    expect(await bucketKeysOf(me.user.id)).toHaveLength(3);
    expect((await upload(other, BASE_PNG, "image/png")).status).toBe(201);
    expect((await me.post("/api/v1/posts", { content: "words are not uploads" }, { "X-Idempotency-Key": crypto.randomUUID() })).status).toBe(201);
    // A 429 is not recorded under its key: the same request is tried afresh (and limited again this minute).
    expect((await upload(me, BASE_GIF, "image/gif", key)).status).toBe(429);
  });
});
