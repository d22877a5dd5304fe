/**
 * Settings: change the password (other sessions end), sign out everywhere, the accounts you
 * blocked or muted (with undo), and deleting the account. Each form reports its own result in a
 * live region next to it.
 */
import { useState } from "preact/hooks";
import type { UserListResponse, UserSummary } from "../../schema/api";
import { useStore } from "../components/context";
import { PersonRow } from "../components/PersonRow";
import { forgetOfflineData } from "../offline";
import { errorText } from "../store";

type Said = { ok: boolean; text: string } | null;
const Result = ({ said, id }: { said: Said; id: string }) => (
  <p class={said?.ok ? "form-ok" : "form-error"} role="status" data-testid={id}>
    {said?.text ?? ""}
  </p>
);

export function Settings() {
  return (
    <>
      <h1>Settings</h1>
      <PasswordForm />
      <SignOutEverywhere />
      <RelationList kind="blocks" />
      <RelationList kind="mutes" />
      <DeleteAccount />
    </>
  );
}

function PasswordForm() {
  const store = useStore();
  const [said, setSaid] = useState<Said>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card settings"
      aria-labelledby="pw-title"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const data = new FormData(form);
        const [currentPassword, newPassword, again] = ["current", "new", "again"].map((k) => String(data.get(k) ?? ""));
        if (newPassword !== again) return setSaid({ ok: false, text: "The two new passwords are not the same." });
        setBusy(true);
        const res = await store.api.call("POST", "/api/v1/auth/password", { currentPassword, newPassword });
        setBusy(false);
        if (!res.ok) return setSaid({ ok: false, text: errorText(res.code, res.message, { INVALID_CREDENTIALS: "That is not your current password." }) });
        form.reset();
        setSaid({ ok: true, text: "Password changed. You were signed out on every other device." });
      }}
    >
      <h2 id="pw-title">Change password</h2>
      <label>
        Current password
        <input name="current" type="password" autoComplete="current-password" required data-testid="pw-current" />
      </label>
      <label>
        New password
        <input name="new" type="password" autoComplete="new-password" required minLength={8} data-testid="pw-new" />
      </label>
      <label>
        New password again
        <input name="again" type="password" autoComplete="new-password" required minLength={8} data-testid="pw-again" />
      </label>
      <Result said={said} id="pw-result" />
      <button type="submit" class="btn small" disabled={busy} data-testid="pw-save">
        Change password
      </button>
    </form>
  );
}

function SignOutEverywhere() {
  const store = useStore();
  return (
    <section class="card settings" aria-labelledby="out-title">
      <h2 id="out-title">Sign out everywhere</h2>
      <p class="muted small">Ends every session of your account, on every device, this one included.</p>
      <button
        type="button"
        class="btn ghost small"
        data-testid="logout-everywhere"
        onClick={async () => {
          const res = await store.api.call("POST", "/api/v1/auth/logout-everywhere");
          if (!res.ok) return store.fail(`Couldn't sign out everywhere. ${errorText(res.code, res.message)}`);
          forgetOfflineData();
          location.assign("/login");
        }}
      >
        Sign out everywhere
      </button>
    </section>
  );
}

function RelationList({ kind }: { kind: "blocks" | "mutes" }) {
  const store = useStore();
  const first = store.boot.settings![kind];
  const [users, setUsers] = useState<UserSummary[]>(first.users);
  const [cursor, setCursor] = useState(first.pagination.nextCursor);
  /** Undone ones stay listed, with a way to redo, until the page is left. */
  const [undone, setUndone] = useState<Record<string, boolean>>({});
  const [verb, noun] = kind === "blocks" ? ["block", "Blocked accounts"] : ["mute", "Muted accounts"];

  async function toggle(u: UserSummary) {
    const off = !undone[u.id];
    setUndone({ ...undone, [u.id]: off });
    const res = await store.api.call(off ? "DELETE" : "POST", `/api/v1/users/${encodeURIComponent(u.username)}/${verb}`, undefined, store.api.newKey());
    if (!res.ok) {
      setUndone({ ...undone, [u.id]: !off });
      store.fail(`Couldn't ${off ? "un" : ""}${verb} @${u.username}. ${errorText(res.code, res.message)}`);
    }
  }
  async function more() {
    const res = await store.api.call<UserListResponse>("GET", `/api/v1/users/me/${kind}?limit=50&cursor=${encodeURIComponent(cursor!)}`);
    if (!res.ok) return store.fail(`Couldn't load more. ${errorText(res.code, res.message)}`);
    setUsers([...users, ...res.data.users]);
    setCursor(res.data.pagination.nextCursor);
  }

  return (
    <section class="card settings" aria-labelledby={`${kind}-title`} data-testid={`${kind}-list`}>
      <h2 id={`${kind}-title`}>{noun}</h2>
      {users.length === 0 ? (
        <p class="muted small">{kind === "blocks" ? "You haven't blocked anyone." : "You haven't muted anyone."}</p>
      ) : (
        <ul class="people">
          {users.map((u) => (
            <PersonRow key={u.id} user={u} note={undone[u.id] ? `${verb === "block" ? "unblocked" : "unmuted"}` : undefined}>
              <button type="button" class="btn ghost small" data-testid={`un${verb}`} onClick={() => void toggle(u)}>
                {undone[u.id] ? `${verb[0].toUpperCase()}${verb.slice(1)} again` : `Un${verb}`}
                <span class="sr-only"> @{u.username}</span>
              </button>
            </PersonRow>
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" class="link" onClick={() => void more()}>
          Show more
        </button>
      )}
    </section>
  );
}

function DeleteAccount() {
  const store = useStore();
  const [said, setSaid] = useState<Said>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card settings danger-zone"
      aria-labelledby="del-title"
      onSubmit={async (e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        if (data.get("sure") !== "on") return setSaid({ ok: false, text: "Tick the box to confirm." });
        setBusy(true);
        const res = await store.api.call("DELETE", "/api/v1/users/me", { password: String(data.get("password") ?? "") });
        setBusy(false);
        if (!res.ok) return setSaid({ ok: false, text: errorText(res.code, res.message, { INVALID_CREDENTIALS: "That password isn't right." }) });
        forgetOfflineData();
        location.assign("/login");
      }}
    >
      <h2 id="del-title">Delete your account</h2>
      <p class="muted small">Your posts, comments, likes, follows and profile are erased for good. This cannot be undone.</p>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required data-testid="delete-password" />
      </label>
      <label class="check">
        <input name="sure" type="checkbox" data-testid="delete-sure" /> I want to delete my account and everything in it
      </label>
      <Result said={said} id="delete-result" />
      <button type="submit" class="btn small danger" disabled={busy} data-testid="delete-account">
        Delete my account
      </button>
    </form>
  );
}
