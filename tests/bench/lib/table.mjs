/** The table `npm run bench` prints at the end: one row per figure, its measurement, and its goal. */
export function printTable(results) {
  const rows = [
    ["ceiling (GET /health) 32 clients", `${results.ceilingRps} rps, p50 ${results.ceilingP50Ms} ms, p99 ${results.ceilingP99Ms} ms`, ""],
    ["ceiling 1 client", `p50 ${results.ceilingSingleP50Ms} ms, p99 ${results.ceilingSingleP99Ms} ms`, ""],
    ["feed ranked 32 clients", `${results.feedRankedRps} rps, p50 ${results.feedRankedP50Ms}, p99 ${results.feedRankedP99Ms} ms`, `ratio ${results.feedReadRatio} (goal ≥ 0.40)`],
    ["feed latest 32 clients", `${results.feedLatestRps} rps, p50 ${results.feedLatestP50Ms}, p99 ${results.feedLatestP99Ms} ms`, `ratio ${results.feedLatestReadRatio} (goal ≥ 0.40)`],
    ["feed ranked 1 client", `p50 ${results.feedRankedSingleP50Ms} ms, p99 ${results.feedRankedSingleP99Ms} ms`, `×${results.feedP50Ratio} of ceiling p50 (goal ≤ 2.5)`],
    ["feed latest 1 client", `p50 ${results.feedLatestSingleP50Ms} ms, p99 ${results.feedLatestSingleP99Ms} ms`, `×${results.feedLatestP50Ratio} of ceiling p50 (goal ≤ 2.5)`],
    ["cost per feed read (ranked)", `${results.costRankedObjectCalls} object call, ${results.costRankedD1Calls} D1 round trips (${results.costRankedD1Statements} statements)`, ""],
    ["cost per feed read (latest)", `${results.costLatestObjectCalls} object call, ${results.costLatestD1Calls} D1 round trips (${results.costLatestD1Statements} statements)`, ""],
    ["RPC ceiling (32 in flight)", `${results.rpcCeilingPerSecond}/s re-opened; cold ${results.rpcCeilingColdPerSecond}/s; warm ${results.rpcCeilingWarmPerSecond}/s`, ""],
    ["push fan-out", `${results.fanoutPerSecond} deliveries/s (5,000)`, `ratio ${results.fanoutRatio} (goal ≥ 0.8)`],
    ["fan-out to 1,000 / 5,000 active", `${results.fanout1000Ms} ms / ${results.fanout5000Ms} ms (objects evicted)`, "goal 1,000 ≤ 1000 ms"],
    ["fan-out to 1,000, objects warm", `${results.fanout1000WarmMs} ms; ${results.fanoutWarmPerSecond}/s vs no-op ${results.rpcCeilingWarm1000PerSecond}/s`, `ratio ${results.fanoutWarmRatio}`],
    ["write floor (one-row RPCs, 32 in flight)", `${results.writeRpcFloorPerSecond}/s evicted (5,000); ${results.writeRpcFloorWarmPerSecond}/s warm (1,000)`, `fan-out ÷ floor ${results.fanoutFloorRatio} / ${results.fanoutWarmFloorRatio} (goal ≥ 0.8)`],
    ["post with 5,000 dormant followers", `${results.inactiveAuthorRecipients} deliveries, ${results.inactiveAuthorMs} ms vs ${results.activeOnlyAuthorMs} ms with none`, `×${results.inactiveCostRatio}`],
    ["celebrity post 1k / 100k followers", `${results.celebrity1kOutboxWrites}+${results.celebrity1kLivePushes} vs ${results.celebrity100kOutboxWrites}+${results.celebrity100kLivePushes} calls; ${results.celebrity1kDoneMs} / ${results.celebrity100kDoneMs} ms`, `×${results.celebrityCostRatio}`],
    ["live delivery 100 sockets", `p50 ${results.wsDelivery100P50Ms} ms, p99 ${results.wsDelivery100P99Ms} ms, missing ${results.wsDelivery100Missing}`, "goal p99 ≤ 100 ms"],
    ["live delivery 1,000 sockets", `p50 ${results.wsDeliveryP50Ms} ms, p99 ${results.wsDeliveryP99Ms} ms, missing ${results.wsDeliveryMissing}`, "goal p99 ≤ 1000 ms"],
    ["live, 100 online of 1,000 followers", `p50 ${results.wsDeliveryMixedP50Ms} ms, p99 ${results.wsDeliveryMixedP99Ms} ms, missing ${results.wsDeliveryMixedMissing}`, ""],
    ["round trips feed ranked / post / like", ["FeedRanked", "Post", "Like"].map((n) => ["UserObject", "OtherObjects", "D1Primary", "D1Replica"].map((k) => results[`rt${n}${k}`]).join("/")).join(" · ") + " (own/other/primary/replica)", `D1 on a post ${results.d1RoundTripsPost}, a like ${results.d1RoundTripsLike}`],
    ["feed p50 modelled, Sydney reader", `${results.modelFeedP50SydneyMs} ms; with replicas ${results.modelFeedP50SydneyReplicasMs} ms (post ${results.modelPostP50SydneyMs} / ${results.modelPostP50SydneyReplicasMs})`, `crossings: reads ≤ ${results.crossingsReadMaxReplicas}, writes ≤ ${results.crossingsWriteMaxReplicas} (goal 0 / 1)`],
    ["scaling history 100 → 100k (ranked)", `${results.scalingRankedHistory100P50Ms} → ${results.scalingRankedHistory100kP50Ms} ms`, `×${results.scalingRankedHistoryRatio} (goal ≤ 1.2)`],
    ["scaling history 100 → 100k (latest)", `${results.scalingLatestHistory100P50Ms} → ${results.scalingLatestHistory100kP50Ms} ms`, `×${results.scalingLatestHistoryRatio}`],
    ["scaling follows 10 → 2,000 (ranked)", `${results.scalingRankedFollows10P50Ms} → ${results.scalingRankedFollows2000P50Ms} ms`, `×${results.scalingRankedFollowsRatio} (goal ≤ 1.2)`],
    ["scaling follows 10 → 2,000 (latest)", `${results.scalingLatestFollows10P50Ms} → ${results.scalingLatestFollows2000P50Ms} ms`, `×${results.scalingLatestFollowsRatio}`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n${"figure".padEnd(w0)} | ${"measured".padEnd(w1)} | vs goal`);
  console.log(`${"-".repeat(w0)}-+-${"-".repeat(w1)}-+-${"-".repeat(24)}`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c}`);
}
