/** A profile: header with counts, follow button and mutual friends, then the author's posts (live while open). */
import { Feed } from "../components/Feed";
import { Avatar } from "../components/PostCard";
import { useStore } from "../components/context";
import { count } from "../lib/format";

export function Profile() {
  const store = useStore();
  const p = store.profile.value;
  if (!p) return null;
  const self = store.viewer?.id === p.id;
  return (
    <>
      <section class="profile card" aria-labelledby="profile-name">
        <div class="profile-head">
          <Avatar user={p} big />
          <div>
            <h1 id="profile-name">{p.displayName}</h1>
            <p class="muted">
              @{p.username}
              {p.isFollowedBy && <span class="badge">Follows you</span>}
            </p>
          </div>
          {!self && (
            <button
              type="button"
              class={p.isFollowing ? "btn ghost follow" : "btn follow"}
              data-testid="follow-button"
              aria-pressed={p.isFollowing ? "true" : "false"}
              onClick={() => void store.toggleFollow()}
            >
              {p.isFollowing ? "Following" : "Follow"}
            </button>
          )}
        </div>
        {p.bio && <p class="content">{p.bio}</p>}
        <p class="stats">
          <span>
            <strong data-testid="follower-count">{count(p.followerCount)}</strong> followers
          </span>
          <span>
            <strong data-testid="following-count">{count(p.followingCount)}</strong> following
          </span>
        </p>
        {p.mutualFriendCount > 0 && (
          <p class="muted small" data-testid="mutual-friends">
            Friends with{" "}
            {p.mutualFriends.slice(0, 3).map((f, i) => (
              <>
                {i > 0 && ", "}
                <a href={`/profile/${encodeURIComponent(f.username)}`}>{f.displayName}</a>
              </>
            ))}
            {p.mutualFriendCount > 3 && ` and ${p.mutualFriendCount - 3} more`} you know
          </p>
        )}
      </section>
      <h2 class="sr-only">Posts</h2>
      <Feed empty={`@${p.username} hasn't posted anything you can see yet.`} />
    </>
  );
}
