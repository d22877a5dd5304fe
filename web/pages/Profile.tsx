/**
 * A profile: header with counts (links to the followers and following pages), follow button,
 * mutual friends, mute and block; your own has "Edit profile". Then the author's posts (live
 * while open).
 */
import { useState } from "preact/hooks";
import { Avatar } from "../components/Avatar";
import { Feed } from "../components/Feed";
import { profileHref } from "../components/PersonRow";
import { ProfileActions } from "../components/ProfileActions";
import { ProfileEditor } from "../components/ProfileEditor";
import { useStore } from "../components/context";
import { count } from "../lib/format";

export function Profile() {
  const store = useStore();
  const p = store.profile.value;
  const [editing, setEditing] = useState(false);
  const [blocked, setBlocked] = useState(false);
  if (!p) return null;
  const self = store.viewer?.id === p.id;
  if (blocked) return <Blocked username={p.username} />;
  if (editing) return <ProfileEditor done={() => setEditing(false)} />;
  const base = profileHref(p.username);
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
              {p.isMuted && <span class="badge">Muted</span>}
            </p>
          </div>
          {self ? (
            <button type="button" class="btn ghost follow" data-testid="edit-profile" onClick={() => setEditing(true)}>
              Edit profile
            </button>
          ) : (
            <span class="follow">
              <button
                type="button"
                class={p.isFollowing ? "btn ghost" : "btn"}
                data-testid="follow-button"
                aria-pressed={p.isFollowing ? "true" : "false"}
                onClick={() => void store.toggleFollow()}
              >
                {p.isFollowing ? "Following" : "Follow"}
              </button>{" "}
              <ProfileActions onBlocked={setBlocked} />
            </span>
          )}
        </div>
        {p.bio && <p class="content">{p.bio}</p>}
        <p class="stats">
          <a href={`${base}/followers`} data-testid="followers-link">
            <strong data-testid="follower-count">{count(p.followerCount)}</strong> followers
          </a>
          <a href={`${base}/following`} data-testid="following-link">
            <strong data-testid="following-count">{count(p.followingCount)}</strong> following
          </a>
        </p>
        {p.mutualFriendCount > 0 && (
          <details class="mutual" data-testid="mutual-friends">
            <summary class="muted small">
              {p.mutualFriendCount} mutual {p.mutualFriendCount === 1 ? "friend" : "friends"}:{" "}
              {p.mutualFriends
                .slice(0, 3)
                .map((f) => f.displayName)
                .join(", ")}
              {p.mutualFriendCount > 3 && ` and ${p.mutualFriendCount - 3} more`}
            </summary>
            <ul class="inline-list">
              {p.mutualFriends.map((f) => (
                <li key={f.id}>
                  <a href={profileHref(f.username)}>{f.displayName}</a>
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
      <h2 class="sr-only">Posts</h2>
      <Feed empty={`@${p.username} hasn't posted anything you can see yet.`} />
    </>
  );
}

function Blocked({ username }: { username: string }) {
  const store = useStore();
  const [busy, setBusy] = useState(false);
  return (
    <section class="card" data-testid="blocked-notice" aria-live="polite">
      <h1>You blocked @{username}</h1>
      <p>You no longer follow each other, and neither of you will see the other anywhere. You can undo this here or in Settings.</p>
      <button
        type="button"
        class="btn ghost small"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          const res = await store.api.call("DELETE", `/api/v1/users/${encodeURIComponent(username)}/block`, undefined, store.api.newKey());
          setBusy(false);
          if (res.ok) location.reload();
          else store.fail("Couldn't undo the block. Try again from Settings.");
        }}
      >
        Undo
      </button>{" "}
      <a href="/">Back to your feed</a>
    </section>
  );
}
