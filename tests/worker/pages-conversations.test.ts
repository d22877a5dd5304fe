/**
 * The edge-rendered /post/:id and /notifications pages, and the unread badge on every page:
 * comments and replies open, Open Graph and Twitter tags for public posts only (a friends-only
 * post is the 404 page to anyone who may not see it, and its text is in no tag or title).
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, befriend, keyed, signupMany, type Client } from "./helpers";

const stateOf = (html: string) => JSON.parse(html.split('<script id="ef-state" type="application/json">')[1].split("</script>")[0]);
const head = (html: string) => html.split("</head>")[0];
async function page(path: string, client?: Client) {
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { headers: client ? { cookie: client.cookie } : {}, redirect: "manual" }));
  return { status: res.status, html: await res.text(), location: res.headers.get("location") };
}

describe("/post/:id", () => {
  it("renders a public post with its comments and replies open, and Open Graph / Twitter tags, signed in or not", async () => {
    const [author, a, b] = await signupMany(3, "pp");
    const post = await author.createPost(`Dinner "tonight" <b>& more</b> with @${a.user.username}`);
    const top = await a.post(`/api/v1/posts/${post.id}/comments`, { content: "count me in" }, keyed());
    await b.post(`/api/v1/posts/${post.id}/comments`, { content: "me too", parentId: top.data.comment.id }, keyed());
    for (const viewer of [b, undefined]) {
      const { status, html } = await page(`/post/${post.id}`, viewer);
      expect(status).toBe(200);
      const meta = head(html);
      expect(meta).toContain('<meta property="og:type" content="article">');
      expect(meta).toContain(`<meta property="og:title" content="${author.user.displayName} (@${author.user.username})">`);
      expect(meta).toContain('content="Dinner &#34;tonight&#34; &#60;b&#62;&#38; more&#60;/b&#62; with @');
      expect(meta).toContain(`<meta property="og:url" content="${BASE}/post/${post.id}">`);
      expect(meta).toContain('<meta name="twitter:card" content="summary">');
      expect(meta).not.toContain("<b>");
      const state = stateOf(html);
      expect(state.page).toBe("post");
      expect(state.feed.posts[0].id).toBe(post.id);
      expect(state.thread.comments.comments.map((c: { content: string }) => c.content)).toEqual(["count me in"]);
      expect(state.thread.replies[top.data.comment.id].comments.map((c: { content: string }) => c.content)).toEqual(["me too"]);
      // Rendered, not only embedded: the thread's markup is in the page, and the mention is a link.
      expect(html).toContain('data-testid="comment"');
      expect(html).toContain('data-testid="reply"');
      expect(html).toContain(`<a class="mention" href="/profile/${a.user.username}">@${a.user.username}</a>`);
      expect(html).toContain(`href="/post/${post.id}"`);
      expect(state.viewer?.id ?? null).toBe(viewer ? viewer.user.id : null);
    }
  });

  it("a friends-only post: the 404 page to strangers and to nobody signed in, its text nowhere; to a friend, no tags and no text in the title", async () => {
    const [author, friend, stranger] = await signupMany(3, "pf");
    await befriend(author, friend);
    const secret = await author.createPost("the secret recipe is cardamom", { privacy: "friends" });
    for (const viewer of [stranger, undefined]) {
      const { status, html } = await page(`/post/${secret.id}`, viewer);
      expect(status).toBe(404);
      expect(html).not.toContain("cardamom");
      expect(html).not.toContain("og:");
    }
    const { status, html } = await page(`/post/${secret.id}`, friend);
    expect(status).toBe(200);
    expect(head(html)).not.toContain("cardamom");
    expect(head(html)).not.toContain("og:");
    expect(head(html)).not.toContain("twitter:");
    expect(html).toContain("cardamom"); // in the page itself, for the friend
    expect((await page("/post/01ZZZZZZZZZZZZZZZZZZZZZZZZ", friend)).status).toBe(404);
  });

  it("a public share of a friends-only post describes only the share's own text", async () => {
    const [author, friend] = await signupMany(2, "ps");
    await befriend(author, friend);
    const secret = await author.createPost("hidden original text", { privacy: "friends" });
    const share = await friend.post(`/api/v1/posts/${secret.id}/share`, { content: "sharing this" }, keyed());
    const { status, html } = await page(`/post/${share.data.post.id}`);
    expect(status).toBe(200);
    expect(head(html)).toContain('content="sharing this"');
    expect(html).not.toContain("hidden original text");
  });
});

describe("/notifications and the badge", () => {
  it("renders grouped notifications with links, the count in every page's state, and redirects without a session", async () => {
    const [author, a, b, c, d] = await signupMany(5, "pn");
    const post = await author.createPost("like this");
    for (const fan of [a, b, c, d]) await fan.post(`/api/v1/posts/${post.id}/like`);
    await a.follow(author.user.username);
    const { status, html } = await page("/notifications", author);
    expect(status).toBe(200);
    const state = stateOf(html);
    expect(state.page).toBe("notifications");
    expect(state.notifications.unreadCount).toBe(2);
    expect(state.notifications.notifications.map((n: { kind: string }) => n.kind)).toEqual(["follow", "like"]);
    expect(html).toContain(`<strong>${d.user.displayName} and 3 others</strong> liked your post`);
    expect(html).toContain(`href="/post/${post.id}"`);
    expect(html).toContain(`href="/profile/${a.user.username}"`);
    expect(html).toContain('aria-label="Notifications, 2 unread"');
    for (const path of ["/", `/profile/${a.user.username}`, `/post/${post.id}`]) {
      const other = await page(path, author);
      expect(stateOf(other.html).unreadCount, path).toBe(2);
      expect(other.html).toContain('data-testid="unread-badge"');
    }
    const anonymous = await page("/notifications");
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/\/login$/);
  });
});
