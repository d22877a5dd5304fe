/** Worker entry: the Hono app, and the Durable Object classes wrangler binds. */
import { app } from "./app";

export { UserFeed } from "../durable-objects/UserFeed";
export { CelebrityFeed } from "../durable-objects/CelebrityFeed";

export default app;
