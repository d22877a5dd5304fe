/** results.svg: horizontal bars, one panel per kind of figure, each bar labelled with its value and goal. */
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

export function drawSvg(r, { quick, when }) {
  const panels = [
    {
      title: "Throughput at 32 clients (requests/s)",
      bars: [
        ["ceiling: GET /health", r.ceilingRps],
        ["feed ranked", r.feedRankedRps, `${r.feedReadRatio} of ceiling (goal ≥ 0.40)`],
        ["feed latest", r.feedLatestRps, `${r.feedLatestReadRatio} of ceiling`],
        ["goal: 0.40 × ceiling", r.ceilingRps * 0.4, "", "#bbb"],
      ],
    },
    {
      title: "Latency at 1 client, p50 (ms)",
      bars: [
        ["ceiling", r.ceilingSingleP50Ms],
        ["feed ranked", r.feedRankedSingleP50Ms, `×${r.feedP50Ratio} (goal ≤ 2.5)`],
        ["feed latest", r.feedLatestSingleP50Ms, `×${r.feedLatestP50Ratio}`],
        ["goal: 2.5 × ceiling", r.ceilingSingleP50Ms * 2.5, "", "#bbb"],
      ],
    },
    {
      title: "Object calls per second",
      bars: [
        ["RPC ceiling (no-op, re-opened)", r.rpcCeilingPerSecond],
        ["push fan-out (5,000, evicted)", r.fanoutPerSecond, `${r.fanoutRatio} of ceiling (goal ≥ 0.8)`],
        ["RPC no-op, 1,000 warm objects", r.rpcCeilingWarm1000PerSecond],
        ["push fan-out (1,000, warm)", r.fanoutWarmPerSecond, `${r.fanoutWarmRatio} of warm no-op`],
      ],
    },
    {
      title: "Time to reach followers / sockets (ms)",
      bars: [
        ["fan-out, 1,000 active (evicted)", r.fanout1000Ms, "goal ≤ 1000"],
        ["fan-out, 1,000 active (warm)", r.fanout1000WarmMs, "goal ≤ 1000"],
        ["fan-out, 5,000 active", r.fanout5000Ms],
        ["live p99, 100 sockets", r.wsDelivery100P99Ms, "goal ≤ 100"],
        ["live p99, 1,000 sockets", r.wsDeliveryP99Ms, "goal ≤ 1000"],
        ["100 active + 5,000 dormant", r.inactiveAuthorMs],
        ["100 active only", r.activeOnlyAuthorMs],
        ["celebrity post, 1k followers", r.celebrity1kDoneMs],
        ["celebrity post, 100k followers", r.celebrity100kDoneMs],
      ],
    },
    {
      title: "Scaling: feed p50 at 1 client (ms)",
      bars: [
        ["ranked, 100 posts of history", r.scalingRankedHistory100P50Ms],
        ["ranked, 100,000 posts", r.scalingRankedHistory100kP50Ms, `×${r.scalingRankedHistoryRatio} (goal ≤ 1.2)`],
        ["ranked, 10 follows", r.scalingRankedFollows10P50Ms],
        ["ranked, 2,000 follows", r.scalingRankedFollows2000P50Ms, `×${r.scalingRankedFollowsRatio} (goal ≤ 1.2)`],
        ["latest, 100 posts of history", r.scalingLatestHistory100P50Ms],
        ["latest, 100,000 posts", r.scalingLatestHistory100kP50Ms, `×${r.scalingLatestHistoryRatio}`],
        ["latest, 10 follows", r.scalingLatestFollows10P50Ms],
        ["latest, 2,000 follows", r.scalingLatestFollows2000P50Ms, `×${r.scalingLatestFollowsRatio}`],
      ],
    },
  ];
  const width = 900;
  const labelW = 250;
  const barMax = 400;
  const rowH = 24;
  let y = 56;
  const parts = [];
  for (const panel of panels) {
    const bars = panel.bars.filter((b) => Number.isFinite(b[1]));
    if (bars.length === 0) continue;
    parts.push(`<text x="16" y="${y}" font-size="15" font-weight="bold">${esc(panel.title)}</text>`);
    y += 10;
    const max = Math.max(...bars.map((b) => b[1]), 1e-9);
    for (const [label, value, note = "", color = "#3b7dd8"] of bars) {
      const w = Math.max(1, (value / max) * barMax);
      parts.push(`<text x="16" y="${y + 16}" font-size="12">${esc(label)}</text>`);
      parts.push(`<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="16" fill="${color}" rx="2"/>`);
      parts.push(`<text x="${labelW + w + 6}" y="${y + 16}" font-size="12">${esc(Math.round(value * 10) / 10)}${note ? `  ${esc(note)}` : ""}</text>`);
      y += rowH;
    }
    y += 22;
  }
  const header = `<text x="16" y="28" font-size="18" font-weight="bold">edgefeed bench ${quick ? "(--quick)" : ""}: ${esc(r.users)} users, ${esc(r.posts)} posts, ${esc(when)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" font-family="system-ui, sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
${header}
${parts.join("\n")}
</svg>
`;
}
