/**
 * The worker's entry with the bench's round-trip tracer (core/round-trips.ts): a request with
 * `x-bench-trace: <id>` on a server started with BENCH_TRACE=1 runs with recording bindings.
 * Anything else (every production request: BENCH_TRACE is never set there) goes straight to the app.
 */
import { traceRequest, traceRoundTrips } from "../../core/round-trips";

export const BENCH_TRACE_HEADER = "x-bench-trace";

interface App {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>;
}

export function withBenchTrace(app: App): ExportedHandler<Env> {
  return {
    fetch(request, env, ctx) {
      const trace = env.BENCH_TRACE === "1" ? request.headers.get(BENCH_TRACE_HEADER) : null;
      // A short id only: each recorded call keeps it, so a long one would grow the buffer.
      if (!trace || !/^[\w-]{1,64}$/.test(trace)) return app.fetch(request, env, ctx);
      const url = new URL(request.url);
      const traced = traceRoundTrips(env, () => "worker", trace);
      return traceRequest(trace, `${request.method} ${url.pathname}`, async () => app.fetch(request, traced, ctx));
    },
  };
}
