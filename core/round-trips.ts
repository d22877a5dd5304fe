/**
 * The bench's round-trip tracer (issue 14 item 4). With BENCH_TRACE=1 (set only by the bench's
 * server start, tests/bench/run.mjs; never in wrangler.toml, npm test or production) the worker
 * wraps its bindings for a request that carries `x-bench-trace: <id>`, and every object wraps its
 * own in its constructor. Each D1 call and object call is then recorded here with its start and
 * end, and GET /api/v1/bench/round-trips drains the buffer; tests/bench/lib/critical-path.mjs
 * nests the calls and counts the sequential ones.
 *
 * Locally the worker and all its objects run in one workerd isolate (one module instance, one
 * thread), which is what makes this exact: one buffer sees every call, and one counter orders
 * every start and end, so "B started after A ended" needs no clock (workerd's clock only moves
 * on I/O). An object's calls carry no trace id; the bench places them inside the call that
 * reached the object. Objects record only while a traced request is in flight, so the other
 * phases pay one branch per call.
 */
import { observeDb, observeNamespace, type BindingCall, type D1Route } from "./observed-bindings";

/** The class the code asks for; locally there is one copy of the database either way. */
export type RoundTripKind = "object" | "d1Primary" | "d1Replica";

export interface RoundTrip {
  /** Positions of the call's start and end in one sequence shared by every call recorded. */
  start: number;
  end: number;
  /** Who called: "worker" or the calling object, "UserFeed:<name>" / "CelebrityFeed:<name>". */
  from: string;
  /** The traced request's id (the worker's own calls; an object's calls are placed by nesting). */
  trace: string | null;
  /** "request": the traced request itself, from the worker's entry to its response (the root). */
  kind: RoundTripKind | "request";
  /** An object call's target ("UserFeed:<name>"), or a D1 call's operation and route. */
  to: string;
  /** The method called, or the first words of the SQL. */
  what: string;
  ms: number;
}

export interface TracedBindings {
  DB: D1Database;
  USER_FEED: DurableObjectNamespace<any>;
  CELEBRITY_FEED: DurableObjectNamespace<any>;
  BENCH_TRACE?: string;
}

/** Enough for any one request's calls with room to spare; past it the oldest go (and the bench sees `dropped`). */
const MAX_RECORDED = 20_000;
const recorded: RoundTrip[] = [];
let dropped = 0;
let sequence = 0;
let tracesInFlight = 0;

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b|\)\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;

/**
 * Primary: any write, anything on the bare binding, a session opened "first-primary". Replica: a
 * read in a "first-unconstrained" session or one opened from a bookmark.
 */
export function d1Kind(sql: readonly string[], route: D1Route): RoundTripKind {
  if (route.via === "binding" || route.constraint === "first-primary") return "d1Primary";
  return sql.some((s) => WRITE.test(s)) ? "d1Primary" : "d1Replica";
}

function describe(call: BindingCall): Pick<RoundTrip, "kind" | "to" | "what"> {
  if (call.kind === "object") return { kind: "object", to: `${call.className}:${call.name}`, what: call.method };
  const route = call.route.via === "binding" ? "binding" : call.route.constraint;
  const what = call.sql.map((s) => s.replace(/\s+/g, " ").trim().slice(0, 60)).join(" | ");
  return { kind: d1Kind(call.sql, call.route), to: `${call.op} (${route})`, what };
}

function recorder(from: () => string, trace: string | null) {
  return async <T>(call: BindingCall, run: () => Promise<T>): Promise<T> => {
    if (trace === null && tracesInFlight === 0) return run();
    const start = ++sequence;
    const startedAt = Date.now();
    const settle = () => {
      if (recorded.length >= MAX_RECORDED) {
        recorded.shift();
        dropped += 1;
      }
      recorded.push({ start, end: ++sequence, from: from(), trace, ...describe(call), ms: Date.now() - startedAt });
    };
    try {
      return await run();
    } finally {
      settle();
    }
  };
}

/** `env` with DB and both namespaces recording, when BENCH_TRACE is "1"; otherwise `env` itself. */
export function traceRoundTrips<E extends TracedBindings>(env: E, from: () => string, trace: string | null): E {
  if (env.BENCH_TRACE !== "1") return env;
  const record = recorder(from, trace);
  return {
    ...env,
    DB: observeDb(env.DB, record),
    USER_FEED: observeNamespace(env.USER_FEED, "UserFeed", record),
    CELEBRITY_FEED: observeNamespace(env.CELEBRITY_FEED, "CelebrityFeed", record),
  };
}

/** A traced request from the worker's entry to its response: recorded as a root ("request") entry. */
export async function traceRequest<T>(trace: string, what: string, handle: () => Promise<T>): Promise<T> {
  tracesInFlight += 1;
  const start = ++sequence;
  const startedAt = Date.now();
  try {
    return await handle();
  } finally {
    tracesInFlight -= 1;
    recorded.push({ start, end: ++sequence, from: "worker", trace, kind: "request", to: "worker", what, ms: Date.now() - startedAt });
  }
}

/** Everything recorded since the last drain, and how many entries were lost to the cap. */
export function drainRoundTrips(): { roundTrips: RoundTrip[]; dropped: number } {
  const out = { roundTrips: recorded.splice(0), dropped };
  dropped = 0;
  return out;
}
