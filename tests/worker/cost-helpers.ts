/**
 * Counting a request's D1 round trips and object calls, in the worker and in one user's UserFeed,
 * on the real bindings (worker/routes/bench.ts countingDb / countingNamespace): the worker runs
 * with counting bindings of its own; the object's DB binding is swapped for a counting one while
 * the request runs (the objects share `env` with the test, so the worker's copy is separate).
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { app } from "../../worker/app";
import { countingDb, countingNamespace, type Counts } from "../../worker/routes/bench";
import { BASE, inUserFeed, type Client } from "./helpers";

export interface Counted {
  status: number;
  body: any;
  headers: Headers;
  worker: Counts;
  object: Counts;
}

const fresh = (): Counts => ({ d1Statements: 0, d1Calls: 0, objectCalls: 0, trace: [] });

/** `client`'s request, with the worker's and `objectUserId`'s UserFeed's D1 calls counted. */
export async function countedRequest(client: Client, objectUserId: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Counted> {
  const worker = fresh();
  const object = fresh();
  const realDb = env.DB;
  const setDb = (db: D1Database) => inUserFeed(objectUserId, (instance) => void ((instance as unknown as { env: typeof env }).env.DB = db));
  await setDb(countingDb(realDb, object));
  try {
    const countingEnv = { ...env, DB: countingDb(realDb, worker), USER_FEED: countingNamespace(env.USER_FEED, worker) };
    const init: RequestInit = { method, headers: { cookie: client.cookie, ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${BASE}${path}`, init), countingEnv, ctx);
    await waitOnExecutionContext(ctx);
    return { status: res.status, body: await res.json(), headers: res.headers, worker, object };
  } finally {
    await setDb(realDb);
  }
}
