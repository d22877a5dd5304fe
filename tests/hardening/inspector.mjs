/**
 * The worker's isolate seen through the DevTools protocol that `wrangler dev --inspector-port`
 * serves: JS heap usage (`Runtime.getHeapUsage`) and heap snapshots summarised by constructor
 * (`HeapProfiler.takeHeapSnapshot`), so the soak can tell a growing JS heap from native memory
 * (RSS grows, heap flat: SQLite page caches, sockets, runtime buffers). The `ws` package: the
 * inspector proxy refuses an upgrade without an `Origin` header, which Node's WebSocket cannot set.
 */
import WebSocket from "ws";

export async function connectInspector(port, { timeoutMs = 15_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let targets = null;
  while (!targets && Date.now() < deadline) {
    try {
      targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
      if (!targets?.length) targets = null;
    } catch {}
    if (!targets) await new Promise((r) => setTimeout(r, 300));
  }
  if (!targets) throw new Error(`no inspector target on port ${port}`);
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl, { headers: { Origin: `http://127.0.0.1:${port}` }, maxPayload: 2 ** 30 });
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = () => reject(new Error("inspector socket failed")))));
  let nextId = 0;
  const waiting = new Map();
  let chunks = [];
  ws.onmessage = (event) => {
    const msg = JSON.parse(typeof event.data === "string" ? event.data : Buffer.from(event.data).toString("utf8"));
    if (msg.method === "HeapProfiler.addHeapSnapshotChunk") chunks.push(msg.params.chunk);
    else if (msg.id !== undefined && waiting.has(msg.id)) {
      const { resolve, reject } = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.error) reject(new Error(`${msg.error.message}`));
      else resolve(msg.result);
    }
  };
  const send = (method, params = {}, ms = 120_000) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => (waiting.delete(id), reject(new Error(`${method}: no answer in ${ms} ms`))), ms);
      waiting.set(id, { resolve: (r) => (clearTimeout(timer), resolve(r)), reject: (e) => (clearTimeout(timer), reject(e)) });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    /** JS heap in MB after a full GC (the number comparable over time). */
    async heapMb() {
      await send("HeapProfiler.collectGarbage").catch(() => {});
      const { usedSize, totalSize } = await send("Runtime.getHeapUsage");
      return { usedMb: Math.round(usedSize / 1048576), totalMb: Math.round(totalSize / 1048576) };
    },
    /** A heap snapshot, summarised: object counts and self sizes per constructor. */
    async snapshot() {
      chunks = [];
      await send("HeapProfiler.takeHeapSnapshot", { reportProgress: false, captureNumericValue: false });
      const summary = summarizeSnapshot(JSON.parse(chunks.join("")));
      chunks = [];
      return summary;
    },
    /** A CPU profile of `ms`: self time per function (top `top`) and the idle share. */
    async cpuProfile(ms, top = 25) {
      await send("Profiler.enable");
      await send("Profiler.setSamplingInterval", { interval: 1000 });
      await send("Profiler.start");
      await new Promise((r) => setTimeout(r, ms));
      const { profile } = await send("Profiler.stop");
      return summarizeProfile(profile, top);
    },
    close: () => ws.close(),
  };
}

/** Per (node type, name): count and self size, and the totals per node type. */
export function summarizeSnapshot(snapshot) {
  const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const typeNames = types[typeAt];
  const byName = new Map();
  const byType = {};
  const nodes = snapshot.nodes;
  for (let i = 0; i < nodes.length; i += width) {
    const type = typeNames[nodes[i + typeAt]];
    const size = nodes[i + sizeAt];
    byType[type] = (byType[type] ?? 0) + size;
    if (type !== "object" && type !== "closure" && type !== "native" && type !== "array") continue;
    const key = `${type}:${snapshot.strings[nodes[i + nameAt]]}`;
    const entry = byName.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += size;
    byName.set(key, entry);
  }
  return { totalBytes: Object.values(byType).reduce((a, b) => a + b, 0), byType, byName };
}

/** The constructors whose count or size moved most between two summaries. */
export function snapshotDiff(before, after, top = 15) {
  const rows = [];
  for (const [key, a] of after.byName) {
    const b = before.byName.get(key) ?? { count: 0, bytes: 0 };
    rows.push({ key, count: a.count, countDelta: a.count - b.count, kb: Math.round(a.bytes / 1024), kbDelta: Math.round((a.bytes - b.bytes) / 1024) });
  }
  return rows.sort((x, y) => Math.abs(y.kbDelta) - Math.abs(x.kbDelta)).slice(0, top);
}

/** Self time per function of a CPU profile (samples × interval), with the idle and GC shares. */
export function summarizeProfile(profile, top) {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const total = profile.samples.length || 1;
  const byFunction = new Map();
  for (const [id, n] of counts) {
    const { functionName, url, lineNumber } = byNode.get(id).callFrame;
    const key = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + n);
  }
  const share = (name) => [...byFunction].filter(([k]) => k.startsWith(`(${name})`)).reduce((a, [, n]) => a + n, 0) / total;
  return {
    samples: total,
    idlePct: Math.round(share("idle") * 100),
    gcPct: Math.round(share("garbage collector") * 100),
    programPct: Math.round(share("program") * 100),
    top: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, n]) => ({ fn, pct: Math.round((1000 * n) / total) / 10 })),
  };
}
