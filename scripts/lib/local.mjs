/**
 * The local world's plumbing shared by start, seed, reset and the ops tests: paths, running
 * wrangler offline (Node 22 from node_modules/.bin, no metrics, no Request.cf fetch), `.dev.vars`,
 * the dev server's pid file, and waiting for /api/v1/health.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DEFAULT_PERSIST = join(ROOT, ".wrangler/state");
export const DEV_VARS = join(ROOT, ".dev.vars");
/** Written by `npm start` while its wrangler dev runs, so seed and reset never write under it. */
export const PID_FILE = join(ROOT, ".wrangler/edgefeed-start.pid");
/** Marks a .dev.vars that `npm start` created (and `npm run reset` may delete). */
const DEV_VARS_MARKER = "# created by `npm start` (edgefeed); `npm run reset` deletes this file";

export const CHILD_ENV = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  // Node 22 from the node@22 devDependency must win over the system's Node 20.
  PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
};

const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

/** Runs wrangler to completion with the current Node; resolves its output, rejects on failure. */
export function wrangler(args, { quiet = true, env = {} } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      env: { ...CHILD_ENV, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (!quiet) process.stdout.write(d);
    });
    child.stderr.on("data", (d) => {
      err += d;
      if (!quiet) process.stderr.write(d);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolvePromise(out);
      else reject(new Error(`wrangler ${args.slice(0, 3).join(" ")} failed (exit ${code}):\n${(err || out).slice(-3000)}`));
    });
  });
}

export const persistArgs = (persistTo) => (persistTo ? ["--persist-to", persistTo] : []);

export async function applyMigrations(persistTo) {
  await wrangler(["d1", "migrations", "apply", "DB", "--local", ...persistArgs(persistTo)]);
}

/** Runs SQL against the local D1 and returns the rows of the last statement. */
export async function d1Query(sql, persistTo) {
  const out = await wrangler(["d1", "execute", "DB", "--local", ...persistArgs(persistTo), "--json", "--command", sql]);
  const parsed = JSON.parse(out.slice(out.indexOf("[")));
  return parsed[parsed.length - 1].results;
}

export async function d1File(file, persistTo) {
  await wrangler(["d1", "execute", "DB", "--local", ...persistArgs(persistTo), "--file", file]);
}

export async function userCount(persistTo) {
  const rows = await d1Query("SELECT COUNT(*) AS n FROM users", persistTo);
  return Number(rows[0]?.n ?? 0);
}

/** KEY=value pairs of .dev.vars (comments and blank lines ignored). */
export function readDevVars(file = DEV_VARS) {
  if (!existsSync(file)) return {};
  const vars = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (m) vars[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return vars;
}

/** Makes sure a local ADMIN_TOKEN exists; returns it and whether it was just created. */
export function ensureAdminToken(file = DEV_VARS) {
  const vars = readDevVars(file);
  if (vars.ADMIN_TOKEN) return { token: vars.ADMIN_TOKEN, created: false };
  const token = randomBytes(24).toString("base64url");
  if (existsSync(file)) {
    const text = readFileSync(file, "utf8");
    writeFileSync(file, `${text}${text.endsWith("\n") || text === "" ? "" : "\n"}ADMIN_TOKEN=${token}\n`);
  } else {
    writeFileSync(file, `${DEV_VARS_MARKER}\n# Local secrets for wrangler dev (deployed: wrangler secret put ADMIN_TOKEN)\nADMIN_TOKEN=${token}\n`);
  }
  return { token, created: true };
}

export function devVarsCreatedByUs(file = DEV_VARS) {
  return existsSync(file) && readFileSync(file, "utf8").startsWith(DEV_VARS_MARKER);
}

/** CELEBRITY_THRESHOLD as the local worker will see it: .dev.vars over wrangler.toml [vars]. */
export function localThreshold() {
  const fromDevVars = readDevVars().CELEBRITY_THRESHOLD;
  if (fromDevVars) return Number(fromDevVars);
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const m = /^\s*CELEBRITY_THRESHOLD\s*=\s*"?(\d+)"?/m.exec(toml);
  return m ? Number(m[1]) : 10_000;
}

export function runningStartPid() {
  if (!existsSync(PID_FILE)) return null;
  const pid = Number(readFileSync(PID_FILE, "utf8").trim());
  if (!pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    rmSync(PID_FILE, { force: true });
    return null;
  }
}

export function writePidFile() {
  mkdirSync(dirname(PID_FILE), { recursive: true });
  writeFileSync(PID_FILE, String(process.pid));
}

export function removePidFile() {
  rmSync(PID_FILE, { force: true });
}

/** Starts `wrangler dev` (stdio as given); returns the child process. */
export function startDevServer({ port, persistTo, stdio = ["ignore", "inherit", "inherit"], vars = {} } = {}) {
  const args = [WRANGLER, "dev", "--port", String(port), "--ip", "127.0.0.1", ...persistArgs(persistTo), "--show-interactive-dev-session=false"];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  return spawn(process.execPath, args, { cwd: ROOT, env: CHILD_ENV, stdio });
}

/** Polls GET /api/v1/health until it answers 200 (or the child exits, or time runs out). */
export async function waitForHealth(url, { timeoutMs = 60_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child?.once("exit", () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error("wrangler dev exited before it answered /api/v1/health");
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}/api/v1/health did not answer within ${timeoutMs / 1000} s`);
}

/** Stops a child started here (its own pid only), waiting for it to exit. */
export async function stopChild(child, signal = "SIGINT") {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once("exit", r));
  child.kill(signal);
  const timer = setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 8000);
  await done;
  clearTimeout(timer);
}
