import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Worker tests run inside workerd against real D1 and real Durable Objects (tests/worker/).
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
          // Small values so batching, trimming and the celebrity path are exercised by small worlds.
          CELEBRITY_THRESHOLD: "5",
          FANOUT_BATCH_SIZE: "4",
          TIMELINE_CAP: "60",
          POST_RATE_LIMIT_PER_MINUTE: "1000",
          LOGIN_RATE_LIMIT_PER_MINUTE: "10",
          ADMIN_TOKEN: "test-admin-token",
        },
      },
    }),
  ],
  test: {
    include: ["tests/worker/**/*.test.ts"],
    setupFiles: ["./tests/worker/setup.ts"],
    testTimeout: 30_000,
  },
}));
