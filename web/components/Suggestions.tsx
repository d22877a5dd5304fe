/**
 * People you may know: each with why (mutual friends, or popular), a follow button and a dismiss
 * button that keeps them away for good (POST /users/me/suggestions/:username/dismiss). Given the
 * list the server embedded (an empty home feed), or fetched once after the page is up and kept in
 * the store (the card in the feed, which the virtualized list may mount more than once).
 * `onFollow` runs after each follow: the home feed fills from it.
 */
import "./lazy-kit";
import { useEffect, useRef, useState } from "preact/hooks";
import type { SuggestedUser, SuggestionsResponse } from "../../schema/api";
import { errorText } from "../store";
import { useStore } from "./context";
import { FollowButton } from "./FollowButton";
import { PersonRow } from "./PersonRow";

const why = (u: SuggestedUser) => (u.reason === "mutual_friends" ? `${u.mutualFriendCount} mutual ${u.mutualFriendCount === 1 ? "friend" : "friends"}` : "Popular");

export function Suggestions({ initial, limit = 5, onFollow, testId = "suggestions" }: { initial?: SuggestedUser[]; limit?: number; onFollow?: () => void; testId?: string }) {
  const store = useStore();
  const [own, setOwn] = useState<SuggestedUser[] | null>(initial ?? null);
  const users = initial ? own : store.suggestions.value;
  // The card in a feed arrives after the page: shown only if its place is still below the fold,
  // so it never pushes what the reader is looking at (layout shift); otherwise not this time.
  const slot = useRef<HTMLDivElement>(null);
  const [placeTaken, setPlaceTaken] = useState(false);
  const setUsers = (list: SuggestedUser[]) => (initial ? setOwn(list) : (store.suggestions.value = list));
  useEffect(() => {
    if (initial || store.suggestions.value) return;
    store.suggestions.value = [];
    void store.api.call<SuggestionsResponse>("GET", `/api/v1/users/me/suggestions?limit=${limit}`).then((res) => {
      if (!initial && slot.current && slot.current.getBoundingClientRect().top < window.innerHeight) return setPlaceTaken(true);
      setUsers(res.ok ? res.data.users : []);
    });
  }, []);
  if (placeTaken) return null;
  if (!users || users.length === 0) return initial ? null : <div ref={slot} aria-hidden="true" />;

  async function dismiss(user: SuggestedUser) {
    const before = users!;
    setUsers(before.filter((u) => u.id !== user.id));
    const res = await store.api.call("POST", `/api/v1/users/me/suggestions/${encodeURIComponent(user.username)}/dismiss`, undefined, store.api.newKey());
    if (!res.ok) {
      setUsers(before);
      store.fail(`Couldn't hide @${user.username}. ${errorText(res.code, res.message)}`);
    }
  }

  return (
    <section class="card suggestions" aria-labelledby={`${testId}-title`} data-testid={testId}>
      <h2 id={`${testId}-title`}>People you may know</h2>
      <ul class="people">
        {users.map((u) => (
          <PersonRow key={u.id} user={u} note={why(u)}>
            <FollowButton user={u} following={false} onChange={(following) => following && onFollow?.()} />
            <button type="button" class="btn ghost small" data-testid="dismiss" aria-label={`Not interested in ${u.displayName}`} onClick={() => void dismiss(u)}>
              ×
            </button>
          </PersonRow>
        ))}
      </ul>
    </section>
  );
}
