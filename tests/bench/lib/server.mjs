/**
 * Running the real server for the bench and the hardening suites: `wrangler dev` (local, Node 22
 * from node_modules/.bin), its own persist dir, vars by --var, in its own process group so it can
 * be stopped (or SIGKILLed mid-work, for the crash suite) with everything it started.
 */
import { spawn, execFileSync } from "node:child_process";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const NODE22 = join(ROOT, "node_modules/.bin/node");

export const CHILD_ENV = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
};

const nodeBin = () => {
  try {
    execFileSync(NODE22, ["--version"]);
    return NODE22;
  } catch {
    return process.execPath;
  }
};

/** Runs wrangler to completion; resolves stdout. */
export function wrangler(args, { timeoutMs = 600_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(nodeBin(), [WRANGLER, ...args], { cwd: ROOT, env: CHILD_ENV, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(out);
      else reject(new Error(`wrangler ${args.slice(0, 3).join(" ")} failed (exit ${code}):\n${(err || out).slice(-3000)}`));
    });
  });
}

export async function d1(persistTo, sqlOrFile, { file = false } = {}) {
  const out = await wrangler(["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--json", file ? "--file" : "--command", sqlOrFile]);
  if (file) return [];
  const parsed = JSON.parse(out.slice(out.indexOf("[")));
  return parsed[parsed.length - 1].results;
}

export async function migrate(persistTo) {
  await wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo]);
}

export const sha256Hex = (text) => createHash("sha256").update(text).digest("hex");
export const newToken = () => randomBytes(24).toString("base64url");

/** The database's cookie-signing key (made by migration 0001), for sessions this script inserts. */
export async function sessionKey(persistTo) {
  const [row] = await d1(persistTo, "SELECT value FROM app_keys WHERE name = 'session-mac'");
  return row.value;
}

/** A session cookie's value as worker/lib/session-cookie.ts issues it: <user id>.<token>.<HMAC>. */
export const sessionCookie = (keyHex, userId, token) =>
  `${userId}.${token}.${createHmac("sha256", Buffer.from(keyHex, "hex")).update(`${userId}.${token}`).digest("base64url")}`;

/**
 * A frozen copy of the sources for one server run. `wrangler dev` watches its sources and reloads
 * on every save; in a tree several engineers edit at once that restarts the server mid-measurement
 * ("Your worker restarted mid-request"). The copy shares node_modules by symlink.
 */
export function snapshotSource(tag) {
  const dir = join("/tmp", `edgefeed-${tag}-src`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "dist/web"), { recursive: true });
  for (const entry of ["worker", "durable-objects", "core", "schema", "web", "migrations", "wrangler.toml", "package.json", "tsconfig.json"]) {
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/**
 * Starts `wrangler dev` detached (its own process group). Returns {child, url, logs, stop, kill}.
 * `onLine` sees every stdout line (the worker's structured logs); `extraArgs` go to `wrangler dev`
 * (the hardening soak's `--inspector-port`).
 */
export async function startServer({ port, persistTo, vars = {}, onLine, timeoutMs = 90_000, cwd = ROOT, extraArgs = [] }) {
  const args = [WRANGLER, "dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", persistTo, "--show-interactive-dev-session=false", "--log-level", "log", ...extraArgs];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const child = spawn(nodeBin(), args, { cwd, env: CHILD_ENV, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const tail = [];
  let buffer = "";
  const take = (d) => {
    buffer += d;
    let i;
    while ((i = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      tail.push(line);
      if (tail.length > 200) tail.shift();
      onLine?.(line);
    }
  };
  child.stdout.on("data", take);
  child.stderr.on("data", take);
  const url = `http://127.0.0.1:${port}`;
  const server = {
    child,
    url,
    tail,
    pgid: child.pid,
    /** Graceful stop of the whole process group (SIGINT, then SIGKILL after 8 s). */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid, "SIGINT");
      } catch {}
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, 8000);
      await done;
      clearTimeout(timer);
      await new Promise((r) => setTimeout(r, 300));
      try {
        process.kill(-child.pid, "SIGKILL"); // stragglers (workerd) of the group
      } catch {}
    },
    /** SIGKILL the whole group at once: a crash. */
    async kill() {
      const done = child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once("exit", r)) : Promise.resolve();
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
      await done;
      await new Promise((r) => setTimeout(r, 500));
    },
    /** Resident memory (KiB) of the workerd processes of this group. */
    workerdRssKb() {
      try {
        const out = execFileSync("ps", ["-o", "pid=,pgid=,rss=,comm=", "--sid", String(child.pid)], { encoding: "utf8" });
        return out
          .split("\n")
          .map((l) => l.trim().split(/\s+/))
          .filter((f) => f.length >= 4 && f[3].includes("workerd"))
          .reduce((sum, f) => sum + Number(f[2]), 0);
      } catch {
        return 0;
      }
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${tail.join("\n")}`);
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) return server;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  await server.stop();
  throw new Error(`wrangler dev did not answer within ${timeoutMs / 1000}s:\n${tail.join("\n")}`);
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}
