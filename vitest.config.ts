import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Worker tests run inside workerd against real D1 and real Durable Objects (tests/worker/).
 *
 * Two projects, because Durable Objects read their own bindings (a test cannot lower a limit per
 * request for code that runs inside an object):
 * - "worker": small values so batching, trimming and the celebrity path are exercised by small
 *   worlds;
 * - "worker-limits" (tests/worker/limits/): the same, except post and upload rate limits low enough
 *   to hit (POST_ and MEDIA_RATE_LIMIT_PER_MINUTE=3, enforced inside the user's UserFeed) and a celebrity
 *   threshold high enough that a multi-batch push fan-out (10 followers, batches of 4) exists.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  const base = {
    TEST_MIGRATIONS: migrations,
    CELEBRITY_THRESHOLD: "5",
    FANOUT_BATCH_SIZE: "4",
    TIMELINE_CAP: "60",
    POST_RATE_LIMIT_PER_MINUTE: "1000",
    MEDIA_RATE_LIMIT_PER_MINUTE: "1000",
    LOGIN_RATE_LIMIT_PER_MINUTE: "10",
    ADMIN_TOKEN: "test-admin-token",
  };
  const project = (name: string, include: string[], exclude: string[], bindings: typeof base) => ({
    plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" }, miniflare: { bindings } })],
    test: {
      name,
      include,
      exclude,
      setupFiles: ["./tests/worker/setup.ts"],
      testTimeout: 30_000,
    },
  });
  return {
    test: {
      projects: [
        project("worker", ["tests/worker/**/*.test.ts"], ["tests/worker/limits/**"], base),
        project("worker-limits", ["tests/worker/limits/**/*.test.ts"], [], {
          ...base,
          POST_RATE_LIMIT_PER_MINUTE: "3",
          MEDIA_RATE_LIMIT_PER_MINUTE: "3",
          CELEBRITY_THRESHOLD: "1000",
        }),
      ],
    },
  };
});
