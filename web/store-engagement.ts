/**
 * The reader's likes, shares and follows: each changes the screen at once and is settled by the
 * server's answer or rolled back with a message (rules 1 and 3 of web/store.ts, web/store-pending.ts).
 * Comments, the other engagement, are in web/store-comments.ts.
 */
import { batch, type Signal } from "@preact/signals";
import type { FollowResponse, LikeResponse, PostResponse, UserProfile } from "../schema/api";
import { errorText, isTemp } from "./store-core";
import type { StoreContext } from "./store-context";

export interface EngagementDeps extends StoreContext {
  profile: Signal<UserProfile | null>;
}

export function createEngagement({ boot, api, byId, put, insertTop, unqueue, profile, pendingOn, addPending, patch, settle, rollback, fail }: EngagementDeps) {
  // Likes: serialized per post so a like and an unlike reach the server in click order.
  const likeChains = new Map<string, Promise<unknown>>();
  function toggleLike(postId: string): Promise<unknown> {
    const s = byId.get(postId);
    if (!s || isTemp(postId)) return Promise.resolve();
    const post = s.value;
    const liked = !post.isLiked;
    const held = pendingOn(postId, "likeCount")[0];
    const action = addPending({
      kind: liked ? "like" : "unlike",
      key: api.newKey(),
      postId,
      field: "likeCount",
      original: held ? held.original : { isLiked: post.isLiked, likeCount: post.likeCount },
    });
    patch(postId, { isLiked: liked, likeCount: Math.max(0, post.likeCount + (liked ? 1 : -1)) });
    const run = async () => {
      const res = await api.call<LikeResponse>(liked ? "POST" : "DELETE", `/api/v1/posts/${postId}/like`, undefined, action.key);
      if (res.ok) settle(action, { isLiked: res.data.liked, likeCount: res.data.likeCount });
      else rollback(action, liked ? `Couldn't like the post. ${errorText(res.code, res.message)}` : `Couldn't remove the like. ${errorText(res.code, res.message)}`);
    };
    const chain = (likeChains.get(postId) ?? Promise.resolve()).then(run, run);
    likeChains.set(postId, chain);
    return chain;
  }

  async function share(postId: string): Promise<boolean> {
    const post = byId.get(postId)?.value;
    if (!post || isTemp(postId)) return false;
    // Sharing a share shares its original.
    const targetId = post.postType === "share" && post.sharedPost ? post.sharedPost.id : postId;
    const target = byId.get(targetId)?.value ?? post;
    const held = pendingOn(targetId, "shareCount")[0];
    const action = addPending({ kind: "share", key: api.newKey(), postId: targetId, field: "shareCount", original: held ? held.original : { shareCount: target.shareCount } });
    patch(targetId, { shareCount: target.shareCount + 1 });
    const res = await api.call<PostResponse>("POST", `/api/v1/posts/${targetId}/share`, {}, action.key);
    if (res.ok) {
      batch(() => {
        const shared = res.data.post.sharedPost;
        settle(action, shared ? { shareCount: shared.shareCount } : null);
        if (boot.page === "home") {
          // Our own share, shown now (its new_post may already wait behind the banner).
          put(res.data.post);
          insertTop([res.data.post.id]);
          unqueue(res.data.post.id);
        }
      });
      return true;
    }
    rollback(action, `Couldn't share the post. ${errorText(res.code, res.message)}`);
    return false;
  }

  /** Follows or unfollows the profile on screen. */
  async function toggleFollow(): Promise<boolean> {
    const p = profile.value;
    if (!p) return false;
    const follow = !p.isFollowing;
    profile.value = { ...p, isFollowing: follow, followerCount: Math.max(0, p.followerCount + (follow ? 1 : -1)) };
    const res = await api.call<FollowResponse>(follow ? "POST" : "DELETE", `/api/v1/users/${encodeURIComponent(p.username)}/follow`, undefined, api.newKey());
    const current = profile.value!;
    if (res.ok) profile.value = { ...current, isFollowing: res.data.following, followerCount: res.data.followerCount };
    else {
      profile.value = { ...current, isFollowing: p.isFollowing, followerCount: p.followerCount };
      fail(`Couldn't ${follow ? "follow" : "unfollow"} @${p.username}. ${errorText(res.code, res.message)}`);
    }
    return res.ok;
  }

  return { toggleLike, share, toggleFollow };
}
