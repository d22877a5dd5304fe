/**
 * A post's comments, opened: top-level comments oldest first, each with its replies (one level),
 * and forms to comment, reply and edit. Like, reply, edit and delete are buttons with labels, all
 * reachable by keyboard; changes show at once and roll back on failure (web/store-comments.ts).
 */
import "./lazy-kit";
import { useEffect, useRef, useState } from "preact/hooks";
import { ago, count } from "../lib/format";
import { COMMENT_MAX } from "../lib/limits";
import { commentActionsFor } from "../comment-actions";
import { isTemp } from "../store";
import { useStore } from "./context";
import { UserText } from "./UserText";

export interface ThreadProps {
  postId: string;
  /** The element id the comment toggle's aria-controls names. */
  id: string;
}

export function Thread({ postId, id }: ThreadProps) {
  const store = useStore();
  const state = store.commentsOf(postId).value;
  return (
    <section class="comments" id={id} aria-label="Comments">
      {state.loading && state.items.length === 0 && <p class="muted small">Loading comments…</p>}
      <ul>
        {state.items.map((cid) => (
          <CommentItem key={cid} id={cid} />
        ))}
      </ul>
      {/* Signed out (a public post's page), what the page embeds is what there is to see. */}
      {state.hasMore && store.viewer && (
        <button type="button" class="link" onClick={() => void store.loadComments(postId, true)}>
          More comments
        </button>
      )}
      {store.viewer ? (
        <CommentForm postId={postId} inputId={`ci-${postId}`} label="Write a comment" placeholder="Write a comment…" submit="Reply" testid="comment" />
      ) : (
        <p class="muted small">
          <a href="/login">Sign in</a> to like or reply.
        </p>
      )}
    </section>
  );
}

function CommentItem({ id }: { id: string }) {
  const store = useStore();
  const c = store.comment(id)?.value;
  const [editing, setEditing] = useState(false);
  const [replying, setReplying] = useState(false);
  if (!c) return null;
  const me = store.viewer;
  const post = store.post(c.postId)?.value;
  const temp = isTemp(c.id);
  const replies = c.parentId ? null : store.repliesOf(c.id).value;
  const edited = c.updatedAt !== c.createdAt;
  const who = c.user.displayName;
  return (
    <li id={`c-${c.id}`} data-testid={c.parentId ? "reply" : "comment"} class={temp ? "sending" : undefined}>
      <a class="name" href={`/profile/${encodeURIComponent(c.user.username)}`}>
        {who}
      </a>{" "}
      <span class="muted small">
        {ago(c.createdAt, store.now.value)}
        {edited && " · edited"}
      </span>
      {editing ? (
        <CommentForm
          postId={c.postId}
          inputId={`ei-${c.id}`}
          initial={c.content}
          label={`Edit your comment`}
          submit="Save"
          testid="edit"
          onSend={(text) => commentActionsFor(store).editComment(c.id, text)}
          onDone={() => setEditing(false)}
        />
      ) : (
        <p class="content">
          <UserText text={c.content} mentions={c.mentions} />
        </p>
      )}
      {me && !temp && !editing && (
        <div class="c-actions">
          <button
            type="button"
            class="act like"
            data-testid="comment-like"
            aria-pressed={c.isLiked ? "true" : "false"}
            aria-label={`Like ${who}'s comment, ${c.likeCount} ${c.likeCount === 1 ? "like" : "likes"}`}
            onClick={() => void commentActionsFor(store).toggleCommentLike(c.id)}
          >
            ♥ <span data-testid="comment-like-count">{count(c.likeCount)}</span>
          </button>
          <button type="button" class="link" data-testid="reply-button" aria-expanded={replying ? "true" : "false"} aria-label={`Reply to ${who}`} onClick={() => setReplying(!replying)}>
            Reply
          </button>
          {me.id === c.userId && (
            <button type="button" class="link" data-testid="edit-comment" aria-label="Edit your comment" onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          {(me.id === c.userId || me.id === post?.authorId) && (
            <button
              type="button"
              class="link"
              data-testid="delete-comment"
              aria-label={`Delete ${me.id === c.userId ? "your" : `${who}'s`} comment`}
              onClick={() => {
                if (confirm(c.replyCount > 0 && !c.parentId ? "Delete this comment and its replies?" : "Delete this comment?")) void commentActionsFor(store).deleteComment(c.id);
              }}
            >
              Delete
            </button>
          )}
        </div>
      )}
      {me && replies && c.replyCount > 0 && !replies.open && (
        <button type="button" class="link small" data-testid="show-replies" aria-expanded="false" onClick={() => store.toggleReplies(c.id)}>
          View {c.replyCount} {c.replyCount === 1 ? "reply" : "replies"}
        </button>
      )}
      {replies?.open && (
        <ul class="replies" aria-label={`Replies to ${who}`}>
          {replies.items.map((rid) => (
            <CommentItem key={rid} id={rid} />
          ))}
          {me && replies.hasMore && (
            <li>
              <button type="button" class="link small" onClick={() => void store.loadReplies(c.id, true)}>
                More replies
              </button>
            </li>
          )}
        </ul>
      )}
      {replying && (
        <CommentForm
          postId={c.postId}
          inputId={`ri-${c.id}`}
          // Answering a reply starts with its author's name, as the reply goes to the same thread.
          initial={c.parentId ? `@${c.user.username} ` : ""}
          label={`Reply to ${who}`}
          submit="Reply"
          testid="reply"
          autofocus
          onSend={(text) => commentActionsFor(store).addComment(c.postId, text, c.id)}
          onDone={() => setReplying(false)}
        />
      )}
    </li>
  );
}

interface FormProps {
  postId: string;
  /** The input's id (the label's `for`): the same on the server and in the browser. */
  inputId: string;
  label: string;
  submit: string;
  testid: "comment" | "reply" | "edit";
  initial?: string;
  placeholder?: string;
  autofocus?: boolean;
  /** Sends the text (default: a new top-level comment); the form clears at once. */
  onSend?: (text: string) => Promise<boolean>;
  onDone?: () => void;
}

function CommentForm({ postId, inputId, label, submit, testid, initial = "", placeholder, autofocus, onSend, onDone }: FormProps) {
  const store = useStore();
  const [text, setText] = useState(initial);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (autofocus || testid === "edit") input.current?.focus();
  }, []);
  return (
    <form
      class="comment-form"
      onSubmit={(e) => {
        e.preventDefault();
        const value = text.trim();
        if (!value) return;
        setText("");
        onDone?.();
        void (onSend ?? ((t: string) => commentActionsFor(store).addComment(postId, t)))(value);
      }}
    >
      <label class="sr-only" for={inputId}>
        {label}
      </label>
      <input
        id={inputId}
        ref={input}
        name="comment"
        data-testid={`${testid}-input`}
        placeholder={placeholder ?? `${label}…`}
        maxLength={COMMENT_MAX}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape" && onDone) onDone();
        }}
      />
      <button type="submit" class="btn small" data-testid={`${testid}-submit`} disabled={!text.trim()}>
        {submit}
      </button>
      {onDone && (
        <button type="button" class="btn ghost small" onClick={onDone}>
          Cancel
        </button>
      )}
    </form>
  );
}
