/**
 * Bench only (worker/routes/bench.ts /bench/feed-d1, behind ADMIN_TOKEN): how long D1 spends on a
 * feed page's statement, as D1 reports it (`meta.duration`, and `meta.timings.sql_duration_ms`
 * where present), over `n` reads. The object's DB binding is swapped for a timing one while the
 * reads run (the same way tests/worker/hardening-cost.test.ts counts): nothing else should run on
 * the server meanwhile.
 */

export interface StatementTime {
  sql: string;
  durationMs: number;
  sqlMs: number | null;
}

type Binding = Pick<D1Database, "prepare" | "batch">;

function timingDb<T extends Binding>(db: T, times: StatementTime[]): T {
  const record = (sql: string, meta: D1Meta | undefined) =>
    times.push({ sql: sql.replace(/\s+/g, " ").trim().slice(0, 60), durationMs: meta?.duration ?? NaN, sqlMs: (meta as { timings?: { sql_duration_ms?: number } })?.timings?.sql_duration_ms ?? null });
  const wrapStatement = (statement: D1PreparedStatement, sql: string): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => wrapStatement(value.apply(target, args), sql);
        if (prop === "all" || prop === "run")
          return async (...args: unknown[]) => {
            const result = (await value.apply(target, args)) as D1Result;
            record(sql, result.meta);
            return result;
          };
        return value.bind(target);
      },
    });
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "prepare") return (sql: string) => wrapStatement(value.call(target, sql), sql);
      if (prop === "withSession") return (constraint?: string) => timingDb(value.call(target, constraint), times);
      return value.bind(target);
    },
  });
}

/** D1 reports whole milliseconds locally: the mean of many reads resolves below that. */
const mean = (values: number[]) => {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? null : Math.round((finite.reduce((a, b) => a + b, 0) / finite.length) * 1000) / 1000;
};

const median = (values: number[]) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.floor(sorted.length / 2)];
};

/** `n` runs of `read` with the statements of `env.DB` timed; the feed page statement's (`WITH tl…`) medians. */
export async function timeFeedReads(env: Env, n: number, read: () => Promise<unknown>) {
  const real = env.DB;
  const times: StatementTime[] = [];
  env.DB = timingDb(real, times);
  try {
    for (let i = 0; i < n; i++) await read();
  } finally {
    env.DB = real;
  }
  const page = times.filter((t) => t.sql.startsWith("WITH tl"));
  return { reads: n, pageStatements: page.length, durationMsMedian: median(page.map((t) => t.durationMs)), durationMsMean: mean(page.map((t) => t.durationMs)), sqlMsMedian: median(page.flatMap((t) => (t.sqlMs === null ? [] : [t.sqlMs]))), all: times.slice(0, 5) };
}
