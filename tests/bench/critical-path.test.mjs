/**
 * tests/bench/lib/critical-path.mjs (node --test, part of `npm run test:ops`): calls that overlap
 * count once, nested calls count inside their parent, an object's calls are placed in the call
 * that reached it, and what the worker does after the response is not on the path.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { criticalPath } from "./lib/critical-path.mjs";

const ME = "u1";
let seq = 0;
/** A call from `from` to `to` spanning [start, end] of the shared sequence. */
const call = (start, end, from, kind, to, trace = from === "worker" ? "t" : null) => ({ start, end, from, trace, kind, to, what: `${kind} ${to}`, ms: 1, id: seq++ });
const request = (start, end) => ({ start, end, from: "worker", trace: "t", kind: "request", to: "worker", what: "GET /", ms: 5 });

describe("criticalPath", () => {
  it("sequential calls add up; a D1 call inside the own object's call counts inside it", () => {
    const trips = [
      request(0, 100),
      call(1, 2, "worker", "d1Primary", "first (binding)"),
      call(3, 10, "worker", "object", `UserFeed:${ME}`),
      call(4, 5, `UserFeed:${ME}`, "d1Replica", "all (first-unconstrained)"),
      call(6, 7, `UserFeed:${ME}`, "d1Primary", "run (binding)"),
    ];
    assert.deepEqual(criticalPath(trips, "t", ME).counts, { userObject: 1, otherObjects: 0, d1Primary: 2, d1Replica: 1 });
  });

  it("overlapping calls count once, as the one with the most round trips under it", () => {
    const trips = [
      request(0, 100),
      call(1, 20, "worker", "object", "UserFeed:u2"),
      call(2, 3, "UserFeed:u2", "d1Primary", "run (binding)"),
      call(4, 5, "UserFeed:u2", "d1Primary", "run (binding)"),
      call(6, 8, "worker", "d1Primary", "batch (binding)"), // started while u2's call was open
      call(21, 22, "worker", "object", "CelebrityFeed:u3"),
    ];
    const { counts, attributed } = criticalPath(trips, "t", ME);
    assert.deepEqual(counts, { userObject: 0, otherObjects: 2, d1Primary: 2, d1Replica: 0 });
    assert.equal(attributed.length, 5);
  });

  it("an object's calls outside any call that reached it, and the worker's after the response, are not the request's", () => {
    const trips = [
      request(0, 10),
      call(1, 4, "worker", "object", `UserFeed:${ME}`),
      call(5, 6, `UserFeed:${ME}`, "d1Primary", "run (binding)"), // the object's own later work (an alarm)
      call(11, 12, "worker", "d1Primary", "run (binding)"), // waitUntil after the response
      call(2, 3, "UserFeed:u9", "d1Primary", "run (binding)"), // another object, never called by this request
    ];
    const { counts, background } = criticalPath(trips, "t", ME);
    assert.deepEqual(counts, { userObject: 1, otherObjects: 0, d1Primary: 0, d1Replica: 0 });
    assert.equal(background.length, 1);
  });

  it("refuses a trace it has no request for", () => {
    assert.throws(() => criticalPath([request(0, 1)], "other", ME), /no traced request/);
  });
});
