#!/usr/bin/env node
/**
 * The region model (issue 14 item 4): from the round trips the bench counted per request
 * (phases/round-trips.mjs: sequential trips to the user's object, other objects, the D1 primary, a
 * D1 replica) and published inter-region round-trip times, the p50 of a feed page and of a post for
 * readers in five regions, the D1 primary in Virginia (ENAM), with and without read replicas.
 * Run by the bench after its phases, or on its own: `node tests/bench/regions.mjs [results.json]`.
 *
 * Round-trip times: "Latency Between AWS Global Regions", average ping in ms between EC2 instances,
 * as tabled at https://acomputerscientistlearnsaws.blogspot.com/2017/04/aws-regions.html
 * (April 2017; read 2026-12-02). That table has no Mumbai, so the Asian reader is in Singapore.
 *
 * Assumptions:
 * - the worker runs at the reader's nearest point of presence, and the reader's own UserFeed lives
 *   near the reader (an object is created where it is first used): a hop between them, or to
 *   anything else in the reader's region, costs IN_REGION_MS;
 * - the D1 primary is in Virginia; with replicas, a replica read goes to the nearest D1 region
 *   (Cloudflare creates one read replica in each D1 region: wnam, enam, weur, eeur, apac, oc;
 *   developers.cloudflare.com/changelog/2025-04-10-d1-read-replication-beta). There is no South
 *   American D1 region, so São Paulo's replica reads still go to ENAM;
 * - other users' objects (a liked post's author, a CelebrityFeed) are placed with the primary in
 *   Virginia: they live near their own users, who may be anywhere;
 * - the local time per request is the bench's single-client figure: all the CPU and local I/O of
 *   every hop, at ~0 network. For the feed page the feed phase's p50 over 200 requests
 *   (feedRankedSingleP50Ms) when it ran, else the roundtrips phase's median of 3 (rt<Request>LocalMs);
 *   the client's own leg to the PoP is left out (the same for every design).
 * Which class a D1 call is, is the one the code asks for (core/round-trips.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const IN_REGION_MS = 5;
/** Round trip from each reader's region to the primary (Virginia) and to its nearest D1 region. */
export const REGIONS = [
  { name: "Virginia", toPrimaryMs: IN_REGION_MS, toReplicaMs: IN_REGION_MS, replicaRegion: "enam" },
  { name: "Frankfurt", toPrimaryMs: 88.6, toReplicaMs: IN_REGION_MS, replicaRegion: "weur" },
  { name: "SaoPaulo", toPrimaryMs: 119.5, toReplicaMs: 119.5, replicaRegion: "enam" },
  { name: "Singapore", toPrimaryMs: 216.7, toReplicaMs: IN_REGION_MS, replicaRegion: "apac" },
  { name: "Sydney", toPrimaryMs: 229.7, toReplicaMs: IN_REGION_MS, replicaRegion: "oc" },
];
const MODELLED = [
  ["Feed", "FeedRanked"],
  ["Post", "Post"],
];
const READS = ["HomePage", "FeedRanked", "FeedLatest", "FeedNext", "FeedUpdates", "ProfilePage", "ProfileApi", "SocketConnect"];
const WRITES = ["Post", "Like", "Comment", "Follow"];

/** A steadier local figure than the roundtrips phase's 3 runs, where the bench has one. */
const LOCAL_FIGURE = { FeedRanked: "feedRankedSingleP50Ms" };
export const localMs = (results, name) => results[LOCAL_FIGURE[name]] ?? results[`rt${name}LocalMs`];

const hops = (r, name) => ({
  own: r[`rt${name}UserObject`],
  other: r[`rt${name}OtherObjects`],
  primary: r[`rt${name}D1Primary`],
  replica: r[`rt${name}D1Replica`],
});

/** Modelled p50 of request `name` for a reader in `region`. */
export function modelledP50(results, name, region, withReplicas) {
  const h = hops(results, name);
  const replicaMs = withReplicas ? region.toReplicaMs : region.toPrimaryMs;
  return localMs(results, name) + h.own * IN_REGION_MS + (h.other + h.primary) * region.toPrimaryMs + h.replica * replicaMs;
}

/**
 * Times a request's reader waits for a trip out of the region: to the primary or another user's
 * object, and (without replicas) to the primary for what a replica could have answered.
 */
export const crossings = (results, name, withReplicas) => {
  const h = hops(results, name);
  return h.other + h.primary + (withReplicas ? 0 : h.replica);
};

export function modelRegions(results) {
  const keys = {};
  const rows = [];
  for (const [label, name] of MODELLED)
    for (const region of REGIONS) {
      const without = Math.round(modelledP50(results, name, region, false));
      const withR = Math.round(modelledP50(results, name, region, true));
      keys[`model${label}P50${region.name}Ms`] = without;
      keys[`model${label}P50${region.name}ReplicasMs`] = withR;
      rows.push({ label, region: region.name, without, withReplicas: withR });
    }
  for (const name of [...READS, ...WRITES]) if (results[`rt${name}UserObject`] !== undefined) keys[`crossings${name}Replicas`] = crossings(results, name, true);
  const readMax = Math.max(...READS.map((n) => keys[`crossings${n}Replicas`] ?? 0));
  const writeMax = Math.max(...WRITES.map((n) => keys[`crossings${n}Replicas`] ?? 0));
  keys.crossingsReadMaxReplicas = readMax;
  keys.crossingsWriteMaxReplicas = writeMax;
  keys.goalReadsNoCrossing = readMax === 0 ? 1 : 0;
  keys.goalWritesOneCrossing = writeMax <= 1 ? 1 : 0;
  return { keys, rows };
}

export function printRegions({ keys, rows }, log = console.log) {
  log(`region model (D1 primary in Virginia; RTTs: AWS inter-region averages, 2017; in-region hop ${IN_REGION_MS} ms)`);
  for (const label of new Set(rows.map((r) => r.label)))
    log(`  ${label.padEnd(5)} p50 without / with replicas: ${rows.filter((r) => r.label === label).map((r) => `${r.region} ${r.without}/${r.withReplicas}`).join(", ")} ms`);
  log(`  ocean crossings with replicas: reads at most ${keys.crossingsReadMaxReplicas} (goal 0: ${keys.goalReadsNoCrossing ? "met" : "missed"}), writes at most ${keys.crossingsWriteMaxReplicas} (goal ≤ 1: ${keys.goalWritesOneCrossing ? "met" : "missed"})`);
  const per = Object.entries(keys).filter(([k]) => k.startsWith("crossings") && !k.includes("Max"));
  log(`  per request: ${per.map(([k, v]) => `${k.slice(9, -8)} ${v}`).join(", ")}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const file = process.argv[2] ?? join(import.meta.dirname, "results.json");
  const results = JSON.parse(readFileSync(file, "utf8"));
  if (results.rtFeedRankedUserObject === undefined) {
    console.error(`${file} has no round-trip counts (rt*): run the bench's roundtrips phase first`);
    process.exit(1);
  }
  printRegions(modelRegions(results));
}
