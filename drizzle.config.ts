import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes SQL migrations that `wrangler d1 migrations apply DB` reads.
export default defineConfig({
  dialect: "sqlite",
  schema: "./schema/tables.ts",
  out: "./migrations",
});
