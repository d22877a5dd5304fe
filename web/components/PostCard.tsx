/**
 * One post. Everything a user wrote is rendered as text nodes (links built as elements: web/
 * components/UserText.tsx): never as HTML. Its comments (web/components/Thread.tsx) load with
 * their code when first opened (web/components/thread-slot.tsx).
 */
import type { ComponentType } from "preact";
import { useState } from "preact/hooks";
import type { OwnPostMenuProps } from "./OwnPost";
import type { BasePost } from "../../schema/api";
import { Avatar } from "./Avatar";
import { lazyComponent } from "./lazy";
import { ago, count } from "../lib/format";
import { isTemp } from "../store";
import { useStore } from "./context";
import { PostImages } from "./PostMedia";
import { ThreadSlot } from "./thread-slot";
import { UserText } from "./UserText";

/**
 * The own-post menu: its code (web/components/OwnPost.tsx) loads when the reader shows intent
 * (pointer over the trigger, focus, a click), not with the page; until then the same trigger
 * stands in its place (no layout shift). A click before the code arrived opens the menu when it
 * does, and the real trigger takes the focus the stand-in had.
 */
let loadedMenu: ComponentType<OwnPostMenuProps> | null = null;
let loadingMenu: Promise<ComponentType<OwnPostMenuProps>> | null = null;
const loadMenu = () =>
  (loadingMenu ??= import("./OwnPost").then(
    (m) => (loadedMenu = m.OwnPostMenu),
    (error) => ((loadingMenu = null), Promise.reject(error)), // offline: the next intent tries again
  ));

export function OwnPostMenu(props: { id: string; onEdit: () => void }) {
  const [Menu, setMenu] = useState(() => loadedMenu);
  const [woken, setWoken] = useState<{ open: boolean; focus: boolean } | null>(null);
  if (Menu) return <Menu {...props} initiallyOpen={woken?.open} focusTrigger={woken?.focus} />;
  const wake = (open: boolean) => (e: Event) => {
    const focus = document.activeElement === e.currentTarget;
    setWoken((w) => ({ open: open || !!w?.open, focus: focus || !!w?.focus }));
    void loadMenu().then((m) => setMenu(() => m), () => {});
  };
  return (
    <span class="menu-wrap">
      <button type="button" class="act" data-testid="post-menu" aria-haspopup="true" aria-expanded="false" onPointerEnter={wake(false)} onFocus={wake(false)} onClick={wake(true)}>
        <span aria-hidden="true">⋯</span>
        <span class="sr-only">Post options</span>
      </button>
    </span>
  );
}
/** Gives the menu up front (the server's renderer). */
OwnPostMenu.provide = (component: ComponentType<OwnPostMenuProps>) => void (loadedMenu = component);

export const EditPostSlot = lazyComponent(() => import("./OwnPost").then((m) => m.EditPost));

export { UserText };

export { Avatar };

/** Edited after it was posted (likes and comments never move updatedAt). */
const edited = (post: BasePost) => post.updatedAt !== post.createdAt;

function Byline({ post, now }: { post: BasePost; now: number }) {
  return (
    <header class="byline">
      <Avatar user={post.author} />
      <a class="name" href={`/profile/${encodeURIComponent(post.author.username)}`}>
        {post.author.displayName}
      </a>
      <span class="muted">@{post.author.username}</span>
      <span class="muted" aria-hidden="true">
        ·
      </span>
      <a class="muted when" href={`/post/${encodeURIComponent(post.id)}`}>
        <time dateTime={post.createdAt} title={post.createdAt}>
          {ago(post.createdAt, now)}
        </time>
      </a>
      {edited(post) && (
        <span class="muted small" data-testid="edited" title={post.updatedAt}>
          · edited
        </span>
      )}
      {post.privacy === "friends" && <span class="badge">Friends</span>}
    </header>
  );
}

function Body({ post, row }: { post: BasePost; row?: number }) {
  return (
    <>
      {post.content && (
        <p class="content" {...{ elementtiming: "post" }}>
          <UserText text={post.content} mentions={post.mentions} />
        </p>
      )}
      {post.media.length > 0 ? (
        <PostImages media={post.media} row={row} />
      ) : (
        post.imageUrl && <img class="media" src={post.imageUrl} alt="" loading="lazy" referrerpolicy="no-referrer" onError={(e) => e.currentTarget.remove()} />
      )}
    </>
  );
}

export function PostCard({ id, index, setSize }: { id: string; index?: number; setSize?: number }) {
  const store = useStore();
  const [editing, setEditing] = useState(false);
  const s = store.post(id);
  if (!s) return null;
  const post = s.value;
  const now = store.now.value;
  const temp = isTemp(id);
  const queued = temp && store.pending.value.some((a) => a.postId === id && a.queued);
  const comments = store.commentsOf(id).value;
  const cid = `c-${id}`;
  const mine = !temp && post.authorId === store.viewer?.id;
  return (
    <article
      class={temp ? "card sending" : "card"}
      data-testid="post-card"
      data-post-id={id}
      aria-posinset={index === undefined ? undefined : index + 1}
      aria-setsize={setSize}
      aria-labelledby={`h-${id}`}
    >
      <span id={`h-${id}`} class="sr-only">
        Post by {post.author.displayName}
      </span>
      <Byline post={post} now={now} />
      {editing ? <EditPostSlot id={id} content={post.content} done={() => setEditing(false)} /> : <Body post={post} row={index} />}
      {post.postType === "share" &&
        (post.sharedPost ? (
          <div class="quoted">
            <Byline post={post.sharedPost} now={now} />
            <Body post={post.sharedPost} row={index} />
          </div>
        ) : (
          <p class="quoted muted">This post is no longer available.</p>
        ))}
      {temp ? (
        <p class="muted small" data-testid="post-status">
          {queued ? "Offline: will be sent when you're back online" : "Sending…"}
        </p>
      ) : !store.viewer ? (
        <p class="muted small">
          {count(post.likeCount)} likes · {count(post.commentCount)} comments · {count(post.shareCount)} shares
        </p>
      ) : (
        <div class="actions">
          <button
            type="button"
            class="act like"
            data-testid="like-button"
            aria-pressed={post.isLiked ? "true" : "false"}
            aria-label={`Like, ${post.likeCount} ${post.likeCount === 1 ? "like" : "likes"}`}
            onClick={() => void store.toggleLike(id)}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M12 21s-7.5-4.6-9.5-9.2C1.1 8.4 3.2 5 6.6 5c2 0 3.4 1.1 4.4 2.5C12 6.1 13.4 5 15.4 5c3.4 0 5.5 3.4 4.1 6.8C19.5 16.4 12 21 12 21z" />
            </svg>
            <span data-testid="like-count">{count(post.likeCount)}</span>
          </button>
          <button
            type="button"
            class="act"
            data-testid="comment-toggle"
            aria-expanded={comments.open ? "true" : "false"}
            aria-controls={cid}
            onClick={() => store.toggleComments(id)}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M4 5h16v11H9l-5 4z" />
            </svg>
            <span data-testid="comment-count">{count(post.commentCount)}</span>
            <span class="sr-only"> comments</span>
          </button>
          <button type="button" class="act" data-testid="share-button" onClick={() => void store.share(id)}>
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M7 17l10-10M9 7h8v8" />
            </svg>
            <span data-testid="share-count">{count(post.shareCount)}</span>
            <span class="sr-only"> shares, share</span>
          </button>
          {mine && !editing && <OwnPostMenu id={id} onEdit={() => setEditing(true)} />}
        </div>
      )}
      {comments.open && <ThreadSlot postId={id} id={cid} />}
    </article>
  );
}
