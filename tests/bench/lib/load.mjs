/** HTTP load and latency helpers (node:http with keep-alive: less client CPU than fetch on 2 cores). */
import http from "node:http";

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One request; resolves {status, body, ms, headers}. */
export function request(url, { method = "GET", headers = {}, body, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const data = body === undefined ? undefined : typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const req = http.request(url, { method, headers: { ...(data !== undefined && !headers["content-type"] ? { "content-type": "application/json" } : {}), ...headers }, agent }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started, headers: res.headers }));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${url}`)));
    req.on("error", reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

export async function json(url, init) {
  const res = await request(url, init);
  let parsed = null;
  try {
    parsed = JSON.parse(res.body);
  } catch {}
  return { ...res, json: parsed };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarize(latencies, elapsedMs, errors = 0) {
  const sorted = latencies.slice().sort((a, b) => a - b);
  return {
    requests: sorted.length,
    errors,
    rps: sorted.length / (elapsedMs / 1000),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/**
 * Closed-loop load: `concurrency` clients, each sending the next request as soon as the previous
 * answered, for `durationMs` (after `warmupMs` not counted). `makeRequest(i)` returns [url, init].
 */
export async function closedLoop({ concurrency, durationMs, warmupMs = 1000, makeRequest, expectStatus = 200, maxRequests = 1_000_000 }) {
  const latencies = [];
  let errors = 0;
  const statuses = {};
  let sent = 0;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  let measuredStart = null;
  async function client(c) {
    while (performance.now() < end && sent < maxRequests) {
      const [url, init] = makeRequest(sent++, c);
      const t = performance.now();
      try {
        const res = await request(url, init);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (t >= measureFrom) {
          measuredStart ??= t;
          if (res.status === expectStatus) latencies.push(res.ms);
          else errors++;
        }
      } catch {
        errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, c) => client(c)));
  const elapsed = performance.now() - (measuredStart ?? measureFrom);
  return { ...summarize(latencies, elapsed, errors), statuses };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
