/**
 * Where a post's comments go. The thread's code (web/components/Thread.tsx: replies, edit, delete,
 * likes on comments) is not needed for a feed's first paint, so a feed page loads it the first time
 * a reader opens comments (a separate chunk); the post page, which opens every thread at once,
 * provides it up front (web/entries/post.tsx), and so does the server's renderer.
 */
import type { ComponentType } from "preact";
import { useEffect, useReducer } from "preact/hooks";
import type { ThreadProps } from "./Thread";

let Thread: ComponentType<ThreadProps> | null = null;
let loading: Promise<unknown> | null = null;

/** Makes the thread render at once (no chunk to wait for). */
export function provideThread(component: ComponentType<ThreadProps>): void {
  Thread = component;
}

export function ThreadSlot(props: ThreadProps) {
  const [, loaded] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (Thread) return;
    loading ??= import("./Thread").then((m) => provideThread(m.Thread));
    void loading.then(loaded);
  }, []);
  if (Thread) return <Thread {...props} />;
  return (
    <section class="comments" id={props.id} aria-label="Comments" aria-busy="true">
      <p class="muted small">Loading comments…</p>
    </section>
  );
}
