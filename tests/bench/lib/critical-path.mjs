/**
 * Sequential round trips of one traced request (core/round-trips.ts records them; GET
 * /bench/round-trips drains them): the calls nest (a D1 call an object makes while answering the
 * worker's call sits inside that call), and on each level calls that overlap in time ran in
 * parallel and count once, as the one of them with the most round trips under it (ties: the one
 * with more D1-primary trips, the likeliest to cross an ocean). Four classes: the requester's own
 * UserFeed, other objects, the D1 primary, a D1 replica.
 */

export const CLASSES = ["userObject", "otherObjects", "d1Primary", "d1Replica"];
const zero = () => ({ userObject: 0, otherObjects: 0, d1Primary: 0, d1Replica: 0 });
const total = (c) => CLASSES.reduce((n, k) => n + c[k], 0);
const inside = (inner, outer) => outer.start < inner.start && inner.end < outer.end;

function classOf(call, userId) {
  if (call.kind === "d1Primary" || call.kind === "d1Replica") return call.kind;
  return call.to === `UserFeed:${userId}` ? "userObject" : "otherObjects";
}

/**
 * `roundTrips`: the drained entries; `trace`: the request's trace id; `userId`: whose request it
 * was. Returns the counts on the critical path, the path itself (in order, for the log), every
 * call attributed to the request, and the worker's calls made after the response (background).
 */
export function criticalPath(roundTrips, trace, userId) {
  const root = roundTrips.find((r) => r.kind === "request" && r.trace === trace);
  if (!root) throw new Error(`no traced request ${trace} among ${roundTrips.length} round trips`);
  const children = new Map([[root, []]]);
  const calls = roundTrips.filter((r) => r !== root);
  for (const call of calls) children.set(call, []);
  // The worker's own calls carry the trace id; an object's are placed inside the innermost call to that object.
  for (const call of calls) {
    let parent = null;
    if (call.trace === trace && call.from === "worker") parent = inside(call, root) ? root : null;
    else if (call.trace === null)
      for (const p of calls) if (p.kind === "object" && p.to === call.from && inside(call, p) && (!parent || p.end - p.start < parent.end - parent.start)) parent = p;
    if (parent) children.get(parent).push(call);
  }
  const attributed = [];
  const walk = (node) => {
    const own = zero();
    if (node !== root) {
      own[classOf(node, userId)] += 1;
      attributed.push(node);
    }
    const path = node === root ? [] : [node];
    const kids = children.get(node).sort((a, b) => a.start - b.start);
    // Overlapping children form one parallel group; only its heaviest member is on the path.
    for (let i = 0; i < kids.length; ) {
      let end = kids[i].end;
      const group = [kids[i++]];
      while (i < kids.length && kids[i].start < end) {
        end = Math.max(end, kids[i].end);
        group.push(kids[i++]);
      }
      const walked = group.map(walk);
      const heaviest = walked.reduce((a, b) => (total(b.counts) > total(a.counts) || (total(b.counts) === total(a.counts) && b.counts.d1Primary > a.counts.d1Primary) ? b : a));
      for (const k of CLASSES) own[k] += heaviest.counts[k];
      path.push(...heaviest.path);
    }
    return { counts: own, path };
  };
  const { counts, path } = walk(root);
  const background = calls.filter((c) => c.trace === trace && c.start > root.end);
  return { counts, path, attributed, background, ms: root.ms };
}

/** One line per call on the path, for the bench's log. */
export const describePath = (path, userId) => path.map((c) => `${classOf(c, userId)}:${c.kind === "object" ? c.what : c.what.slice(0, 40)}`).join(" → ");
