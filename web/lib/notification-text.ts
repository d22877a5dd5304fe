/** How a notification reads ("Ada and 3 others liked your post") and where it leads. */
import type { Notification } from "../../schema/api";

/** "Ada", "Ada and Ben", "Ada and 3 others". */
export function actorsText(n: Pick<Notification, "actors" | "actorCount">): string {
  const [first, second] = n.actors.map((a) => a.displayName || a.username);
  if (!first) return "Someone";
  if (n.actorCount <= 1) return first;
  if (n.actorCount === 2 && second) return `${first} and ${second}`;
  return `${first} and ${n.actorCount - 1} others`;
}

const ACTIONS: Record<Notification["kind"], string> = {
  like: "liked your post",
  comment: "commented on your post",
  reply: "replied to your comment",
  share: "shared your post",
  mention: "mentioned you in a post",
  follow: "followed you",
  friend: "followed you back: you're now friends",
  comment_like: "liked your comment",
};

export function actionText(n: Pick<Notification, "kind" | "commentId">): string {
  return n.kind === "mention" && n.commentId ? "mentioned you in a comment" : ACTIONS[n.kind];
}

/** A follow leads to the newest follower's profile; everything else to its post (and comment). */
export function notificationHref(n: Notification): string {
  if (!n.postId) return n.actors[0] ? `/profile/${encodeURIComponent(n.actors[0].username)}` : "/notifications";
  return `/post/${encodeURIComponent(n.postId)}${n.commentId ? `#c-${encodeURIComponent(n.commentId)}` : ""}`;
}
