/** Follow / unfollow one person from a list row: shown at once, rolled back with a message on failure. */
import { useState } from "preact/hooks";
import type { FollowResponse, UserSummary } from "../../schema/api";
import { errorText } from "../store";
import { useStore } from "./context";

export function FollowButton({ user, following: initial, onChange }: { user: Pick<UserSummary, "username" | "displayName">; following: boolean; onChange?: (following: boolean) => void }) {
  const store = useStore();
  const [following, setFollowing] = useState(initial);
  const [busy, setBusy] = useState(false);
  async function toggle() {
    const next = !following;
    setFollowing(next);
    setBusy(true);
    const res = await store.api.call<FollowResponse>(next ? "POST" : "DELETE", `/api/v1/users/${encodeURIComponent(user.username)}/follow`, undefined, store.api.newKey());
    setBusy(false);
    if (res.ok) {
      setFollowing(res.data.following);
      onChange?.(res.data.following);
    } else {
      setFollowing(!next);
      store.fail(`Couldn't ${next ? "follow" : "unfollow"} @${user.username}. ${errorText(res.code, res.message)}`);
    }
  }
  return (
    <button type="button" class={following ? "btn ghost small" : "btn small"} data-testid="row-follow" aria-pressed={following ? "true" : "false"} disabled={busy} onClick={() => void toggle()}>
      {following ? "Following" : "Follow"}
      <span class="sr-only"> {user.displayName}</span>
    </button>
  );
}
