/** Edge-rendered pages (worker/routes/pages.tsx, worker/ssr/document.tsx) in workerd. */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { renderDocument, safeJson } from "../../worker/ssr/document";
import { BASE, signup, uniqueName } from "./helpers";

const stateOf = (html: string) => JSON.parse(html.split('<script id="ef-state" type="application/json">')[1].split("</script>")[0]);

describe("web pages", () => {
  it("embeds state that cannot close its script element", () => {
    const evil = "</script><script>alert(1)</script><!-- \u2028 \u2029";
    const json = safeJson({ content: evil });
    expect(json).not.toMatch(/[<\u2028\u2029]/);
    expect(JSON.parse(json).content).toBe(evil);
    const html = renderDocument({ page: "login", viewer: null, now: 0, mode: "ranked", feed: undefined }, `<title>${evil}`);
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the module script's and the state's own
  });

  it("renders the first feed page with the viewer's posts, text escaped, and redirects without a session", async () => {
    const alice = await signup();
    await alice.createPost("<b>bold</b> & </script> text");
    const res = await exports.default.fetch(new Request(`${BASE}/`, { headers: { cookie: alice.cookie } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("cache-control")).toContain("no-store");
    const html = await res.text();
    expect(html).toContain('data-testid="post-card"');
    expect(html).toContain("&lt;b>bold&lt;/b> &amp; &lt;/script> text");
    const state = stateOf(html);
    expect(state.page).toBe("home");
    expect(state.viewer.username).toBe(alice.user.username);
    expect(state.feed.posts[0].content).toBe("<b>bold</b> & </script> text");
    expect(state.feed.pagination.newestCursor).toBeTruthy();

    const anonymous = await exports.default.fetch(new Request(`${BASE}/`, { redirect: "manual" }));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/\/login$/);
  });

  it("renders a profile with its posts, 404s an unknown one, and sends a signed-in user away from /login", async () => {
    const alice = await signup();
    const bob = await signup();
    await bob.createPost("bob's first");
    const res = await exports.default.fetch(new Request(`${BASE}/profile/${bob.user.username}`, { headers: { cookie: alice.cookie } }));
    expect(res.status).toBe(200);
    const state = stateOf(await res.text());
    expect(state.profile).toMatchObject({ username: bob.user.username, isFollowing: false });
    expect(state.feed.posts.map((p: { content: string }) => p.content)).toEqual(["bob's first"]);

    const missing = await exports.default.fetch(new Request(`${BASE}/profile/${uniqueName("nobody")}`, { headers: { cookie: alice.cookie } }));
    expect(missing.status).toBe(404);
    await missing.text();

    const login = await exports.default.fetch(new Request(`${BASE}/login`, { headers: { cookie: alice.cookie }, redirect: "manual" }));
    expect(login.status).toBe(302);
    const anonymousLogin = await exports.default.fetch(new Request(`${BASE}/login`));
    expect(anonymousLogin.status).toBe(200);
    expect(await anonymousLogin.text()).toContain('name="username"');
  });
});
