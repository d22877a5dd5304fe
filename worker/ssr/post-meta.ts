/**
 * Open Graph and Twitter card tags for a post page, for PUBLIC posts only: a friends-only post's
 * text, author or picture never goes into a tag (link previews are fetched by crawlers without a
 * session, and a tag outlives the page it was read from). The page title follows the same rule.
 */
import type { Post } from "../../schema/api";
import { escapeHtml } from "./document";

const DESCRIPTION_MAX = 200;

const oneLine = (text: string, max: number) => {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
};

export function postTitle(post: Post): string {
  if (post.privacy !== "public") return "Post · edgefeed";
  const text = oneLine(post.content || post.sharedPost?.content || "", 60);
  return `${post.author.displayName} on edgefeed${text ? `: “${text}”` : ""}`;
}

export function postMeta(post: Post, url: string): string {
  if (post.privacy !== "public") return "";
  const description = oneLine(post.content || post.sharedPost?.content || "", DESCRIPTION_MAX);
  const image = post.imageUrl ?? post.sharedPost?.imageUrl ?? null;
  const title = `${post.author.displayName} (@${post.author.username})`;
  const tags: [string, string, string][] = [
    ["property", "og:type", "article"],
    ["property", "og:site_name", "edgefeed"],
    ["property", "og:title", title],
    ["property", "og:description", description],
    ["property", "og:url", url],
    ["name", "twitter:card", image ? "summary_large_image" : "summary"],
    ["name", "twitter:title", title],
    ["name", "twitter:description", description],
    ["name", "description", description],
  ];
  if (image && /^https?:\/\//i.test(image)) tags.push(["property", "og:image", image], ["name", "twitter:image", image]);
  return tags.map(([attr, key, value]) => `<meta ${attr}="${key}" content="${escapeHtml(value)}">`).join("") + `<link rel="canonical" href="${escapeHtml(url)}">`;
}
