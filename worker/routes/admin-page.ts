/**
 * GET /admin: a small, self-contained operator page (no build step, no external assets). The page
 * itself holds nothing secret: the operator pastes ADMIN_TOKEN into a form, it is kept in
 * sessionStorage (gone when the tab closes), and the page calls the admin API with
 * `Authorization: Bearer` every 2 s, rendering what the user's objects hold and the system summary.
 * Without an ADMIN_TOKEN configured the page is 404, like the API.
 */
import { Hono } from "hono";
import type { AppEnv } from "../types";

const PAGE = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>edgefeed · operators</title>
<style>
  :root { color-scheme: light dark; --muted: #888; --line: #8884; --accent: #f6821f; }
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; padding: 1rem 1.5rem 3rem; max-width: 1200px; }
  h1 { font-size: 1.2rem; margin: 0 0 .75rem; } h1 span { color: var(--accent); }
  h2 { font-size: 1rem; margin: 1.5rem 0 .4rem; }
  form { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; margin-bottom: .5rem; }
  input { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 6px; background: transparent; color: inherit; }
  button { font: inherit; padding: .35rem .8rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
  button.plain { background: transparent; color: inherit; border-color: var(--line); }
  table { border-collapse: collapse; width: 100%; margin: .25rem 0; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { color: var(--muted); font-weight: 500; }
  td.n { text-align: right; } code, .id { font-family: ui-monospace, monospace; font-size: 12px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 0 1.5rem; }
  .muted { color: var(--muted); } .err { color: #d33; } .ok { color: #2a2; }
  #status { min-height: 1.4em; }
</style>
</head>
<body>
<h1><span>edgefeed</span> operators</h1>
<form id="auth"><input id="token" type="password" placeholder="ADMIN_TOKEN" autocomplete="off" size="36" required><button>Use token</button><button type="button" class="plain" id="forget">Forget token</button></form>
<form id="lookup"><input id="username" placeholder="username" autocomplete="off" required><button>Inspect</button><label class="muted"><input type="checkbox" id="live" checked> refresh every 2 s</label></form>
<div id="status" class="muted">Paste the ADMIN_TOKEN (npm start writes one to .dev.vars), then a username.</div>
<div id="out"></div>
<script>
(() => {
  const $ = (id) => document.getElementById(id);
  const KEY = "edgefeed.adminToken";
  const esc = (v) => String(v ?? "–").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const num = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : esc(n));
  const when = (ms) => {
    if (!ms) return "–";
    const d = ms - Date.now(), a = Math.abs(d);
    const rel = a < 60e3 ? Math.round(a / 1e3) + " s" : a < 36e5 ? Math.round(a / 6e4) + " min" : a < 1728e5 ? (a / 36e5).toFixed(1) + " h" : Math.round(a / 864e5) + " d";
    return esc(new Date(ms).toISOString().replace("T", " ").slice(0, 19)) + ' <span class="muted">(' + (d >= 0 ? "in " + rel : rel + " ago") + ")</span>";
  };
  const kv = (rows) => "<table>" + rows.map(([k, v]) => "<tr><th>" + esc(k) + "</th><td>" + v + "</td></tr>").join("") + "</table>";
  const grid = (head, rows) => rows.length
    ? "<table><tr>" + head.map((h) => "<th>" + esc(h) + "</th>").join("") + "</tr>" + rows.map((r) => "<tr>" + r.map((c) => "<td>" + c + "</td>").join("") + "</tr>").join("") + "</table>"
    : '<p class="muted">none</p>';
  const id = (v) => '<span class="id">' + esc(v) + "</span>";
  let timer = null;

  function render(d) {
    const u = d.user, f = d.userFeed, c = d.celebrityFeed, s = d.system;
    let h = "<h2>@" + esc(u.username) + " · " + esc(u.displayName) + ' <span class="muted id">' + esc(u.id) + "</span></h2>";
    h += '<div class="grid"><div>' + kv([
      ["followers", num(u.followerCount)], ["following", num(u.followingCount)], ["posts", num(u.postCount)],
      ["celebrity", u.isCelebrity ? "yes: readers pull these posts" : "no: posts are pushed"], ["pull source", u.isPullSource ? "yes" : "no"],
      ["last active", when(u.lastActiveAt) + (u.activeWithinWindow ? "" : ' <span class="muted">(inactive: rebuilt on return)</span>')],
    ]) + "</div><div>" + kv([
      ["timeline size", num(f.timeline.size)], ["horizon", f.timeline.horizon === "0" ? "0 (complete)" : id(f.timeline.horizon)],
      ["newest seq", num(f.timeline.newestSeq)], ["reload below seq", num(f.timeline.reloadBelowSeq)],
      ["alarm", when(f.alarm)], ["audience", num(f.audience.watchers) + " watchers · " + num((f.audience.subscribers || []).length) + " profile subscribers"],
    ]) + "</div></div>";
    h += "<h2>Sockets (" + f.sockets.length + ")</h2>" + grid(["connection", "connected", "subscriptions", "watching"], f.sockets.map((x) => [id(x.id), when(x.connectedAt), esc(x.subscriptions.join(", ") || "–"), num(x.watching)]));
    h += "<h2>Fan-out jobs (" + f.jobs.length + " pending)</h2>" + grid(["job", "kind", "post", "delivered", "batches", "cursor", "attempts", "last error", "next run"],
      f.jobs.map((j) => [num(j.id), esc(j.kind), id(j.postId), num(j.delivered), num(j.batches), id(j.cursor || "–"), num(j.attempts), esc(j.lastError || "–"), when(j.nextRunAt)]));
    h += "<h2>Idempotency records (" + num(f.idempotency.count) + ")</h2>" + grid(["scope", "key", "state", "status", "created", "expires"],
      f.idempotency.newest.map((r) => [esc(r.scope), id(r.key), esc(r.state), esc(r.status), when(r.createdAt), when(r.expiresAt)]));
    h += "<h2>Newest timeline entries</h2>" + grid(["seq", "post", "author"], f.timeline.newest.map((e) => [num(e.seq), id(e.postId), id(e.authorId)]));
    h += "<h2>Ranked snapshots (" + f.snapshots.length + ")</h2>" + grid(["snapshot", "posts", "created", "expires"], f.snapshots.map((x) => [id(x.id), num(x.size), when(x.createdAt), when(x.expiresAt)]));
    if (c) {
      h += "<h2>CelebrityFeed outbox (" + num(c.outboxSize) + ")</h2>" + grid(["post", "privacy", "created"], c.outboxNewest.map((o) => [id(o.post_id), esc(o.privacy), when(o.created_at)]));
      h += "<h2>Online followers' leases (" + c.leases.length + ")</h2>" + grid(["user", "expires"], c.leases.map((l) => [id(l.user_id), when(l.expires_at)]));
    }
    h += "<h2>System</h2>" + kv([
      ["users", num(s.users) + ' <span class="muted">· ' + num(s.activeUsers) + " active in " + s.config.activeWindowDays + " days</span>"],
      ["celebrities", num(s.celebrities) + ' <span class="muted">(≥ ' + num(s.config.celebrityThreshold) + " followers; " + num(s.pullSources) + " pull sources)</span>"],
      ["follow edges", num(s.follows)], ["posts", num(s.posts)], ["likes", num(s.likes)], ["comments", num(s.comments)], ["live sessions", num(s.sessions)],
    ]);
    $("out").innerHTML = h;
  }

  async function refresh() {
    const token = sessionStorage.getItem(KEY);
    const username = $("username").value.trim().toLowerCase();
    if (!token || !username) return;
    try {
      const res = await fetch("/api/v1/admin/users/" + encodeURIComponent(username) + "/state", { headers: { Authorization: "Bearer " + token }, cache: "no-store" });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) {
        $("status").innerHTML = '<span class="err">' + res.status + " " + esc(body.error?.code) + ": " + esc(body.error?.message) + "</span>";
        if (res.status === 401 || res.status === 403) stop();
        return;
      }
      render(body.data);
      $("status").innerHTML = '<span class="ok">●</span> updated ' + esc(new Date().toLocaleTimeString()) + " · request " + esc(res.headers.get("x-request-id"));
    } catch (e) {
      $("status").innerHTML = '<span class="err">' + esc(e.message) + "</span>";
    }
  }
  const stop = () => { clearInterval(timer); timer = null; };
  const start = () => { stop(); refresh(); if ($("live").checked) timer = setInterval(refresh, 2000); };

  $("auth").addEventListener("submit", (e) => { e.preventDefault(); sessionStorage.setItem(KEY, $("token").value.trim()); $("token").value = ""; $("token").placeholder = "token saved for this tab"; start(); });
  $("forget").addEventListener("click", () => { sessionStorage.removeItem(KEY); stop(); $("out").innerHTML = ""; $("token").placeholder = "ADMIN_TOKEN"; $("status").textContent = "Token forgotten."; });
  $("lookup").addEventListener("submit", (e) => { e.preventDefault(); history.replaceState(null, "", "?user=" + encodeURIComponent($("username").value.trim())); start(); });
  $("live").addEventListener("change", start);
  if (sessionStorage.getItem(KEY)) $("token").placeholder = "token saved for this tab";
  const initial = new URLSearchParams(location.search).get("user");
  if (initial) { $("username").value = initial; start(); }
})();
</script>
</body>
</html>`;

export const adminPageRoutes = new Hono<AppEnv>().get("/admin", (c) => {
  if (!c.env.ADMIN_TOKEN) return c.text("Not found", 404);
  c.header("Cache-Control", "no-store");
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "no-referrer");
  c.header("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  return c.html(PAGE);
});
