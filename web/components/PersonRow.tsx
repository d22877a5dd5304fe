/** One person in a list: picture, name, handle, a line about them, and what can be done (follow, dismiss, undo). */
import type { ComponentChildren } from "preact";
import type { UserSummary } from "../../schema/api";
import { Avatar } from "./Avatar";

export const profileHref = (username: string) => `/profile/${encodeURIComponent(username)}`;

export function PersonRow({ user, note, children }: { user: UserSummary; note?: string; children?: ComponentChildren }) {
  return (
    <li class="person" data-testid="person" data-username={user.username}>
      <Avatar user={user} />
      <span class="who">
        <a class="name" href={profileHref(user.username)}>
          {user.displayName}
        </a>
        <span class="muted small">
          @{user.username}
          {note ? ` · ${note}` : ""}
        </span>
      </span>
      <span class="row-actions">{children}</span>
    </li>
  );
}
