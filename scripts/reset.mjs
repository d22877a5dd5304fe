#!/usr/bin/env node
/**
 * npm run reset: wipes the local world. Removes .wrangler/state (local D1 and every Durable
 * Object), the seed's temporary SQL, the ops tests' state, and `.dev.vars` if `npm start` created
 * it (a .dev.vars you wrote yourself is kept). The next `npm start` seeds a fresh demo world.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DEV_VARS, devVarsCreatedByUs, removePidFile, ROOT, runningStartPid } from "./lib/local.mjs";

const pid = runningStartPid();
if (pid) {
  console.error(`npm start is running (pid ${pid}): stop it first, then run npm run reset.`);
  process.exit(1);
}
const removed = [];
const remove = (path) => {
  if (!existsSync(path)) return;
  rmSync(path, { recursive: true, force: true });
  removed.push(path.replace(`${ROOT}/`, ""));
};
remove(join(ROOT, ".wrangler/state"));
remove(join(ROOT, ".wrangler/ops-test"));
const tmp = join(ROOT, ".wrangler/tmp");
if (existsSync(tmp)) for (const name of readdirSync(tmp)) if (name.startsWith("seed-sql-")) remove(join(tmp, name));
if (devVarsCreatedByUs()) remove(DEV_VARS);
removePidFile();
console.log(removed.length ? `Removed ${removed.join(", ")}. The next npm start seeds a fresh demo world.` : "Nothing to reset.");
