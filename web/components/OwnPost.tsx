/**
 * What the author can do on their own card: a menu (Edit, Delete), the inline editor, and the
 * delete confirmation. Both changes are optimistic with rollback (web/store-own-edits.ts).
 */
import "./lazy-kit";
import { useEffect, useRef, useState } from "preact/hooks";
import { POST_MAX } from "../lib/limits";
import { useStore } from "./context";

export interface OwnPostMenuProps {
  id: string;
  onEdit: () => void;
  /** Clicked before this code arrived (web/components/PostCard.tsx): open at once. */
  initiallyOpen?: boolean;
  /** The stand-in trigger had the focus: this one takes it. */
  focusTrigger?: boolean;
}

export function OwnPostMenu({ id, onEdit, initiallyOpen = false, focusTrigger = false }: OwnPostMenuProps) {
  const store = useStore();
  const [open, setOpen] = useState(initiallyOpen);
  const trigger = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusTrigger) trigger.current?.focus();
  }, []);
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const menuId = `m-${id}`;
  if (confirming)
    return (
      <div class="confirm" role="group" aria-label="Delete this post?" data-testid="delete-confirm">
        <span>Delete this post?</span>
        <button type="button" class="btn small danger" data-testid="delete-confirm-button" ref={confirmButton} onClick={() => void store.deletePost(id)}>
          Delete
        </button>
        <button type="button" class="btn ghost small" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    );
  return (
    <span class="menu-wrap" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
      <button type="button" class="act" ref={trigger} data-testid="post-menu" aria-haspopup="true" aria-expanded={open ? "true" : "false"} aria-controls={menuId} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">⋯</span>
        <span class="sr-only">Post options</span>
      </button>
      {open && (
        <span class="menu" id={menuId}>
          <button type="button" data-testid="post-edit" onClick={() => (setOpen(false), onEdit())}>
            Edit
          </button>
          <button type="button" data-testid="post-delete" onClick={() => (setOpen(false), setConfirming(true))}>
            Delete
          </button>
        </span>
      )}
    </span>
  );
}

export function EditPost({ id, content, done }: { id: string; content: string; done: () => void }) {
  const store = useStore();
  const [text, setText] = useState(content);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => input.current?.focus(), []);
  const left = POST_MAX - [...text].length;
  const ready = text.trim() !== "" && left >= 0 && text !== content;
  return (
    <form
      class="edit"
      aria-label="Edit post"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return;
        done(); // the card shows the new text at once; a failure brings the old one back
        void store.editPost(id, text);
      }}
    >
      <label class="sr-only" for={`e-${id}`}>
        Post text
      </label>
      <textarea id={`e-${id}`} ref={input} data-testid="edit-input" rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} onKeyDown={(e) => e.key === "Escape" && done()} />
      <div class="composer-row">
        <span class={left < 0 ? "count over" : "count muted small"}>{left < 200 ? left : ""}</span>
        <button type="button" class="btn ghost small" onClick={done}>
          Cancel
        </button>
        <button type="submit" class="btn small" data-testid="edit-save" disabled={!ready}>
          Save
        </button>
      </div>
    </form>
  );
}
