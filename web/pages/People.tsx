/** A user's followers or following: a paged list with follow buttons (GET /users/:username/followers|following). */
import { useState } from "preact/hooks";
import type { FollowListResponse } from "../../schema/api";
import { useStore } from "../components/context";
import { FollowButton } from "../components/FollowButton";
import { PersonRow, profileHref } from "../components/PersonRow";
import { errorText } from "../store";

export function People() {
  const store = useStore();
  const people = store.boot.people!;
  const { user, kind } = people;
  const [list, setList] = useState(people.list.users);
  const [cursor, setCursor] = useState(people.list.pagination.nextCursor);
  const [loading, setLoading] = useState(false);
  const me = store.viewer?.id;

  async function more() {
    if (!cursor) return;
    setLoading(true);
    const res = await store.api.call<FollowListResponse>("GET", `/api/v1/users/${encodeURIComponent(user.username)}/${kind}?limit=30&cursor=${encodeURIComponent(cursor)}`);
    setLoading(false);
    if (!res.ok) return store.fail(`Couldn't load more. ${errorText(res.code, res.message)}`);
    const seen = new Set(list.map((u) => u.id));
    setList([...list, ...res.data.users.filter((u) => !seen.has(u.id))]);
    setCursor(res.data.pagination.nextCursor);
  }

  const title = kind === "followers" ? `People following ${user.displayName}` : `People ${user.displayName} follows`;
  return (
    <section class="card" aria-labelledby="people-title">
      <p class="small">
        <a href={profileHref(user.username)}>← @{user.username}</a>
      </p>
      <h1 id="people-title">{title}</h1>
      <nav class="modes" aria-label="Lists">
        {(["followers", "following"] as const).map((k) => (
          <a key={k} class="mode" href={`${profileHref(user.username)}/${k}`} aria-current={k === kind ? "page" : undefined}>
            {k === "followers" ? `Followers (${user.followerCount})` : `Following (${user.followingCount})`}
          </a>
        ))}
      </nav>
      {list.length === 0 ? (
        <p class="empty">{kind === "followers" ? "No followers yet." : "Not following anyone yet."}</p>
      ) : (
        <ul class="people" data-testid="people-list">
          {list.map((u) => (
            <PersonRow key={u.id} user={u}>
              {u.id !== me && <FollowButton user={u} following={u.isFollowing} />}
            </PersonRow>
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" class="btn ghost wide" data-testid="people-more" disabled={loading} onClick={() => void more()}>
          {loading ? "Loading…" : "Show more"}
        </button>
      )}
    </section>
  );
}
