/** Phase "dormant": what 5,000 dormant followers cost a post: p100 (100 active) vs pinactive (100 active + 5,000 dormant). */
import { sleep } from "../lib/load.mjs";
import { round } from "../lib/context.mjs";

export async function measureDormant({ fanout, log }, world) {
  log("dormant followers: p100 (100 active) vs pinactive (100 active + 5,000 dormant)");
  await sleep(3000);
  const a = await fanout(world, "p100", 100, "100 active");
  const b = await fanout(world, "pinactive", 100, "100 active + 5,000 dormant");
  return {
    inactiveAuthorRecipients: b.recipients,
    inactiveAuthorBatches: b.batches,
    inactiveAuthorMs: round(b.ms, 0),
    activeOnlyAuthorRecipients: a.recipients,
    activeOnlyAuthorMs: round(a.ms, 0),
    inactiveCostRatio: round(b.ms / a.ms, 2),
  };
}
