/** A person's picture (their avatarUrl), or the first letter of their name when they have none or it fails to load. */
import { useState } from "preact/hooks";
import type { UserSummary } from "../../schema/api";

export function Avatar({ user, big }: { user: Pick<UserSummary, "displayName" | "avatarUrl">; big?: boolean }) {
  const [broken, setBroken] = useState<string | null>(null);
  const cls = big ? "avatar big" : "avatar";
  if (user.avatarUrl && broken !== user.avatarUrl)
    return <img class={cls} src={user.avatarUrl} alt="" loading="lazy" referrerpolicy="no-referrer" onError={() => setBroken(user.avatarUrl)} />;
  return (
    <span class={cls} aria-hidden="true">
      {(user.displayName || "?").trim().charAt(0).toUpperCase()}
    </span>
  );
}
