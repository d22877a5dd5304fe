/**
 * The pending-action rules of the store (web/store.ts, rules 1 and 3): optimistic changes are
 * recorded with the values they replaced; server values for a field under a pending change are
 * held on the action; settling or rolling back decides what is shown.
 */
import { batch, type Signal } from "@preact/signals";
import type { EngagementField, Post } from "../schema/api";
import type { Pending } from "./store-core";

export interface PendingRulesDeps {
  byId: Map<string, Signal<Post>>;
  pending: Signal<Pending[]>;
  put: (post: Post) => Signal<Post>;
  fail: (text: string) => void;
}

export function createPendingRules({ byId, pending, put, fail }: PendingRulesDeps) {
  let seq = 0;

  function pendingOn(postId: string, field: EngagementField) {
    return pending.value.filter((a) => a.postId === postId && a.field === field);
  }

  function addPending(a: Omit<Pending, "id">): Pending {
    const action = { ...a, id: ++seq };
    pending.value = [...pending.value, action];
    return action;
  }

  function dropPending(action: Pending) {
    pending.value = pending.value.filter((a) => a.id !== action.id);
  }

  function patch(postId: string, values: Partial<Post>) {
    const s = byId.get(postId);
    if (s) s.value = { ...s.value, ...values };
  }

  /** Rule 1: a server count for a field with a pending change is held, not shown. */
  function serverCount(postId: string, field: EngagementField, value: number) {
    const held = pendingOn(postId, field);
    if (held.length > 0) {
      for (const a of held) a.server = value;
      return;
    }
    patch(postId, { [field]: value });
  }

  /** A fresh copy of a post from the server: counts under a pending change keep their optimistic value. */
  function mergeServerPost(post: Post) {
    const current = byId.get(post.id)?.value;
    if (!current) return put(post);
    const next: Post = { ...post };
    for (const field of ["likeCount", "commentCount", "shareCount"] as const) {
      const held = pendingOn(post.id, field);
      if (held.length > 0) {
        for (const a of held) a.server = post[field];
        next[field] = current[field];
        if (field === "likeCount") next.isLiked = current.isLiked;
      }
    }
    put(next);
  }

  /** Settles an action that changed `field`: its response value, or the newest server value, wins. */
  function settle(action: Pending, value: Partial<Post> | null) {
    batch(() => {
      dropPending(action);
      if (!action.field) return;
      const later = pendingOn(action.postId, action.field);
      if (later.length > 0) {
        // A later action on the same field is still out: it will settle the display.
        const v = value?.[action.field];
        if (typeof v === "number") for (const a of later) a.server = v;
        return;
      }
      if (value) patch(action.postId, value);
      else if (action.server !== undefined) patch(action.postId, { [action.field]: action.server });
    });
  }

  /** Rule 3: undo an action's optimistic change. */
  function rollback(action: Pending, message: string) {
    batch(() => {
      dropPending(action);
      if (action.field) {
        const later = pendingOn(action.postId, action.field);
        if (later.length > 0) {
          for (const a of later) a.original = action.original;
        } else {
          const restore: Partial<Post> = { ...action.original };
          if (action.server !== undefined) restore[action.field] = action.server;
          patch(action.postId, restore);
        }
      }
      fail(message);
    });
  }

  return { pendingOn, addPending, dropPending, patch, serverCount, mergeServerPost, settle, rollback };
}

export type PendingRules = ReturnType<typeof createPendingRules>;
