/** Worker entry: the Hono app (behind the bench's tracer, inert unless BENCH_TRACE=1), and the Durable Object classes wrangler binds. */
import { app } from "./app";
import { withBenchTrace } from "./lib/bench-trace";

export { UserFeed } from "../durable-objects/UserFeed";
export { CelebrityFeed } from "../durable-objects/CelebrityFeed";

export default withBenchTrace(app);
