/** Types for the test runtime: `env` from "cloudflare:workers" is the worker's own, plus the migrations the setup applies. */
import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS?: D1Migration[];
    }
  }
}
