/**
 * D1 and Durable Object bindings whose every round trip passes through an observer: the one
 * place the bench counts calls (worker/routes/bench.ts, tests/worker/hardening-cost.test.ts) and
 * traces them (core/round-trips.ts). Production code never sees these: only bench endpoints,
 * tests and a server started with BENCH_TRACE=1 wrap their bindings.
 *
 * A round trip is a statement's first/all/run/raw, a batch, an exec, or one method call on a stub
 * (fetch included). A statement's bind() and a database's withSession() are not: they return
 * wrapped objects whose calls are.
 */

/** How a D1 call was asked to be routed: the bare binding, or a session and what opened it. */
export type D1Route =
  | { via: "binding" }
  | { via: "session"; constraint: "first-primary" | "first-unconstrained" }
  | { via: "session"; constraint: "bookmark" };

export type BindingCall =
  | { kind: "d1"; op: "first" | "all" | "run" | "raw" | "batch" | "exec"; sql: string[]; route: D1Route }
  | { kind: "object"; className: string; name: string; method: string };

/** Sees each round trip; must return `run()`'s result (it may await it, time it, count it). */
export type Observer = <T>(call: BindingCall, run: () => Promise<T>) => Promise<T>;

const STATEMENT_CALLS = new Set(["first", "all", "run", "raw"]);
/** The SQL each wrapped statement was prepared with (a batch reports all of them). */
const sqlOf = new WeakMap<object, string>();

function observeStatement(statement: D1PreparedStatement, sql: string, route: D1Route, observe: Observer): D1PreparedStatement {
  const wrapped = new Proxy(statement, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "bind") return (...args: unknown[]) => observeStatement(value.apply(target, args), sql, route, observe);
      if (typeof prop === "string" && STATEMENT_CALLS.has(prop))
        return (...args: unknown[]) => observe({ kind: "d1", op: prop as "first", sql: [sql], route }, () => value.apply(target, args));
      return value.bind(target);
    },
  });
  sqlOf.set(wrapped, sql);
  return wrapped;
}

/** A database handle or session: prepare, batch and exec observed; withSession opens an observed session. */
function observeD1<T extends D1Database | D1DatabaseSession>(db: T, route: D1Route, observe: Observer): T {
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "prepare") return (sql: string) => observeStatement(value.call(target, sql), sql, route, observe);
      if (prop === "batch")
        return (statements: D1PreparedStatement[]) =>
          observe({ kind: "d1", op: "batch", sql: statements.map((s) => sqlOf.get(s) ?? "?"), route }, () => value.call(target, statements));
      if (prop === "exec") return (sql: string) => observe({ kind: "d1", op: "exec", sql: [sql], route }, () => value.call(target, sql));
      if (prop === "withSession")
        return (constraintOrBookmark?: string) => {
          const session = value.call(target, constraintOrBookmark) as D1DatabaseSession;
          return observeD1(session, sessionRoute(constraintOrBookmark), observe);
        };
      return value.bind(target);
    },
  });
}

/** withSession's argument: a constraint by name, nothing (D1's default: first-unconstrained), or a bookmark. */
function sessionRoute(constraintOrBookmark: string | undefined): D1Route {
  if (constraintOrBookmark === "first-primary") return { via: "session", constraint: "first-primary" };
  if (constraintOrBookmark === undefined || constraintOrBookmark === "first-unconstrained") return { via: "session", constraint: "first-unconstrained" };
  return { via: "session", constraint: "bookmark" };
}

export function observeDb(db: D1Database, observe: Observer): D1Database {
  return observeD1(db, { via: "binding" }, observe);
}

/** A namespace whose stubs (from getByName) report every method call, `fetch` included. */
export function observeNamespace<T extends DurableObjectNamespace<any>>(ns: T, className: string, observe: Observer): T {
  return new Proxy(ns, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop !== "getByName") return value.bind(target);
      return (name: string, ...rest: unknown[]) => {
        const stub = value.call(target, name, ...rest);
        return new Proxy(stub, {
          get(s, method) {
            const fn = Reflect.get(s, method);
            if (typeof fn !== "function") return fn;
            return (...args: unknown[]) =>
              // Reflect.apply: `fn.apply` would be looked up as an RPC method of the stub.
              observe({ kind: "object", className, name, method: String(method) }, async () => Reflect.apply(fn, s, args));
          },
        });
      };
    },
  });
}
