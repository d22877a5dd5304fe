/**
 * The bench's round-trip tracer (core/round-trips.ts, core/observed-bindings.ts): what each call
 * is classed as, that a session's calls are seen through withSession, that the order of starts
 * and ends tells sequential calls from overlapping ones, and that without BENCH_TRACE nothing is
 * wrapped. (The bench drives it end to end: tests/bench/phases/round-trips.mjs.)
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { drainRoundTrips, traceRequest, traceRoundTrips } from "../../core/round-trips";
import { signup } from "./helpers";

const traced = () => traceRoundTrips({ ...env, BENCH_TRACE: "1" }, () => "worker", "t1");

describe("round-trip tracer", () => {
  it("is the env itself unless BENCH_TRACE is 1", () => {
    expect(traceRoundTrips(env, () => "worker", "t1")).toBe(env);
  });

  it("classes D1 calls by the route the code asks for", async () => {
    drainRoundTrips();
    const e = traced();
    await e.DB.prepare("SELECT 1 AS one").first();
    await e.DB.withSession("first-unconstrained").prepare("SELECT 1 AS one").bind().all();
    await e.DB.withSession().prepare("SELECT 1 AS one").raw();
    await e.DB.withSession("first-primary").prepare("SELECT 1 AS one").first();
    const session = e.DB.withSession("first-unconstrained");
    await session.batch([session.prepare("SELECT 1 AS one"), session.prepare("SELECT 2 AS two")]);
    await session.prepare("UPDATE users SET display_name = display_name WHERE 0").run();
    await e.DB.withSession("some-bookmark-we-were-given").prepare("WITH x AS (SELECT 1) SELECT * FROM x").first().catch(() => null);
    const { roundTrips } = drainRoundTrips();
    expect(roundTrips.map((r) => [r.kind, r.to])).toEqual([
      ["d1Primary", "first (binding)"],
      ["d1Replica", "all (first-unconstrained)"],
      ["d1Replica", "raw (first-unconstrained)"],
      ["d1Primary", "first (first-primary)"],
      ["d1Replica", "batch (first-unconstrained)"],
      ["d1Primary", "run (first-unconstrained)"],
      ["d1Replica", "first (bookmark)"],
    ]);
    expect(roundTrips[4].what).toContain("SELECT 2 AS two");
  });

  it("records object calls with their target, and orders sequential and overlapping calls", async () => {
    const user = await signup();
    drainRoundTrips();
    const e = traced();
    await traceRequest("t1", "GET /x", async () => {
      await e.USER_FEED.getByName(user.user.id).noop();
      await Promise.all([e.USER_FEED.getByName(user.user.id).noop(), e.DB.prepare("SELECT 1").first()]);
    });
    const { roundTrips } = drainRoundTrips();
    const [a, b, c, root] = roundTrips;
    expect(a).toMatchObject({ kind: "object", to: `UserFeed:${user.user.id}`, what: "noop", trace: "t1", from: "worker" });
    expect(root).toMatchObject({ kind: "request", what: "GET /x" });
    expect(a.end).toBeLessThan(Math.min(b.start, c.start)); // sequential
    expect(Math.max(b.start, c.start)).toBeLessThan(Math.min(b.end, c.end)); // overlapping
    expect(root.start).toBeLessThan(a.start);
    expect(root.end).toBeGreaterThan(Math.max(b.end, c.end));
  });
});
