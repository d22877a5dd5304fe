/**
 * A person's picture: an avatar uploaded here (`/media/…`, served by us with the rules of API.md
 * Media), else the first letter of their name (also when the picture fails to load). A hot-linked
 * avatar URL is not fetched: it would tell a stranger's server who is reading.
 */
import { useState } from "preact/hooks";
import type { UserSummary } from "../../schema/api";

export function Avatar({ user, big }: { user: Pick<UserSummary, "displayName" | "avatarUrl">; big?: boolean }) {
  const [broken, setBroken] = useState<string | null>(null);
  const cls = big ? "avatar big" : "avatar";
  const size = big ? 64 : 32;
  if (user.avatarUrl?.startsWith("/media/") && broken !== user.avatarUrl)
    return <img class={cls} src={user.avatarUrl} alt="" width={size} height={size} loading="lazy" decoding="async" onError={() => setBroken(user.avatarUrl)} />;
  return (
    <span class={cls} aria-hidden="true">
      {(user.displayName || "?").trim().charAt(0).toUpperCase()}
    </span>
  );
}
