/**
 * /post/:id: one post with its comments and replies open (the server embeds them), live like a
 * feed card: the post is watched, so counts follow (web/live.ts). Anyone may see a public post
 * here, signed in or not (link previews need that); a friends-only one only those who may.
 */
import { useEffect } from "preact/hooks";
import { PostCard } from "../components/PostCard";
import { useStore } from "../components/context";

export function PostPage() {
  const store = useStore();
  const id = store.feedIds.value[0];
  useEffect(() => {
    if (id) store.onScreen.value = [id];
    // A link to a comment (#c-…) scrolls to it once the thread is on screen.
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    target?.scrollIntoView({ block: "center" });
  }, [id]);
  if (!id) return <p class="empty">That post is no longer available.</p>;
  return (
    <>
      <h1 class="sr-only">Post</h1>
      <PostCard id={id} />
    </>
  );
}
