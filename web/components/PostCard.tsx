/** One post. Everything a user wrote is rendered as text nodes (and http(s) links built as elements): never as HTML. */
import { useState } from "preact/hooks";
import type { BasePost } from "../../schema/api";
import { Avatar } from "./Avatar";
import { EditPost, OwnPostMenu } from "./OwnPost";
import { ago, count } from "../lib/format";
import { COMMENT_MAX } from "../lib/limits";
import { isTemp } from "../store";
import { useStore } from "./context";

/** An http(s) URL in user text; a trailing punctuation mark or bracket stays text ("see https://x.y/z."). */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'’]/g;

/** User text with its http(s) URLs as links (elements with an href, never parsed markup); the rest stays text. */
export function UserText({ text }: { text: string }) {
  const parts: (string | preact.JSX.Element)[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    parts.push(text.slice(last, match.index));
    parts.push(
      <a href={match[0]} target="_blank" rel="noopener noreferrer nofollow ugc">
        {match[0]}
      </a>,
    );
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}


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
      <time class="muted" dateTime={post.createdAt} title={post.createdAt}>
        {ago(post.createdAt, now)}
      </time>
      {edited(post) && (
        <span class="muted small" data-testid="edited" title={post.updatedAt}>
          · edited
        </span>
      )}
      {post.privacy === "friends" && <span class="badge">Friends</span>}
    </header>
  );
}

function Body({ post }: { post: BasePost }) {
  return (
    <>
      {post.content && (
        <p class="content" {...{ elementtiming: "post" }}>
          <UserText text={post.content} />
        </p>
      )}
      {post.imageUrl && <img class="media" src={post.imageUrl} alt="" loading="lazy" referrerpolicy="no-referrer" onError={(e) => e.currentTarget.remove()} />}
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
      {editing ? <EditPost id={id} content={post.content} done={() => setEditing(false)} /> : <Body post={post} />}
      {post.postType === "share" &&
        (post.sharedPost ? (
          <div class="quoted">
            <Byline post={post.sharedPost} now={now} />
            <Body post={post.sharedPost} />
          </div>
        ) : (
          <p class="quoted muted">This post is no longer available.</p>
        ))}
      {temp ? (
        <p class="muted small" data-testid="post-status">
          {queued ? "Offline: will be sent when you're back online" : "Sending…"}
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
      {comments.open && <Comments postId={id} id={cid} />}
    </article>
  );
}

function Comments({ postId, id }: { postId: string; id: string }) {
  const store = useStore();
  const state = store.commentsOf(postId).value;
  const [text, setText] = useState("");
  const now = store.now.value;
  return (
    <section class="comments" id={id} aria-label="Comments">
      {state.loading && state.items.length === 0 && <p class="muted small">Loading comments…</p>}
      <ul>
        {state.items.map((c) => (
          <li key={c.id} data-testid="comment" class={isTemp(c.id) ? "sending" : undefined}>
            <a class="name" href={`/profile/${encodeURIComponent(c.author.username)}`}>
              {c.author.displayName}
            </a>{" "}
            <span class="muted small">{ago(c.createdAt, now)}</span>
            <p class="content">
              <UserText text={c.content} />
            </p>
          </li>
        ))}
      </ul>
      {state.hasMore && (
        <button type="button" class="link" onClick={() => void store.loadComments(postId, true)}>
          More comments
        </button>
      )}
      <form
        class="comment-form"
        onSubmit={(e) => {
          e.preventDefault();
          const value = text.trim();
          if (!value) return;
          setText("");
          void store.addComment(postId, value);
        }}
      >
        <label class="sr-only" for={`ci-${postId}`}>
          Write a comment
        </label>
        <input
          id={`ci-${postId}`}
          name="comment"
          data-testid="comment-input"
          placeholder="Write a comment…"
          maxLength={COMMENT_MAX}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <button type="submit" class="btn small" data-testid="comment-submit" disabled={!text.trim()}>
          Reply
        </button>
      </form>
    </section>
  );
}
