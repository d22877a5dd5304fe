/**
 * Editing your own profile (PATCH /users/me): display name, bio and picture. Errors are shown
 * next to the field the server names (VALIDATION_ERROR's details), or in the form, never lost.
 */
import { useState } from "preact/hooks";
import type { AuthResponse } from "../../schema/api";
import { DISPLAY_NAME_MAX } from "../lib/limits";
import { errorText } from "../store";
import { AvatarUpload } from "../media/AvatarUpload";
import { AvatarField, isPictureUrl } from "./AvatarField";
import { useStore } from "./context";

const BIO_MAX = 500;
type Issues = { issues?: { path: string; message: string }[] };

export function ProfileEditor({ done }: { done: () => void }) {
  const store = useStore();
  const p = store.profile.value!;
  const [displayName, setName] = useState(p.displayName);
  const [bio, setBio] = useState(p.bio ?? "");
  const [avatarUrl, setAvatar] = useState<string | null>(p.avatarUrl);
  // A photo uploaded here (POST /media): saved as `avatarMediaId`, which makes it public and sets avatarUrl.
  const [avatarMediaId, setAvatarMediaId] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // Save waits for a picture still uploading: saved before it is in, the profile would keep the old one.
  const [uploading, setUploading] = useState(false);

  async function save(e: Event) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!displayName.trim()) local.displayName = "Your name can't be empty.";
    if ([...bio].length > BIO_MAX) local.bio = `At most ${BIO_MAX} characters.`;
    if (avatarMediaId === null && avatarUrl !== null && !avatarUrl.startsWith("/media/") && !isPictureUrl(avatarUrl)) local.avatarUrl = "A picture link starts with http:// or https://.";
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    const res = await store.api.call<AuthResponse>("PATCH", "/api/v1/users/me", { displayName: displayName.trim(), bio: bio.trim() || null, ...(avatarMediaId !== null ? { avatarMediaId } : avatarUrl === p.avatarUrl ? {} : { avatarUrl }) }, store.api.newKey());
    setBusy(false);
    if (res.ok) {
      store.profile.value = { ...store.profile.value!, ...res.data.user };
      return done();
    }
    const details = res.details as Issues | undefined;
    const fields: Record<string, string> = {};
    for (const issue of details?.issues ?? []) fields[issue.path || "form"] = issue.message;
    setErrors(Object.keys(fields).length ? fields : { form: errorText(res.code, res.message) });
  }

  const field = (key: string) => errors[key] && (
    <span class="form-error" id={`${key}-error`}>
      {errors[key]}
    </span>
  );
  return (
    <form class="card profile-edit" aria-labelledby="edit-title" data-testid="profile-editor" onSubmit={(e) => void save(e)} noValidate>
      <h1 id="edit-title">Edit profile</h1>
      <label>
        Display name
        <input name="displayName" data-testid="edit-name" maxLength={DISPLAY_NAME_MAX} value={displayName} aria-invalid={errors.displayName ? "true" : "false"} onInput={(e) => setName(e.currentTarget.value)} />
        {field("displayName")}
      </label>
      <label>
        Bio
        <textarea name="bio" data-testid="edit-bio" rows={3} value={bio} aria-invalid={errors.bio ? "true" : "false"} onInput={(e) => setBio(e.currentTarget.value)} />
        {field("bio")}
      </label>
      <AvatarUpload current={avatarUrl} label="Upload a picture" onUploaded={(media) => (setAvatarMediaId(media.id), setAvatar(media.url))} onBusy={setUploading} />
      <AvatarField value={avatarUrl} name={displayName} onChange={(url) => (setAvatarMediaId(null), setAvatar(url))} error={errors.avatarUrl ?? errors.avatarMediaId} />
      <p class="form-error" role="alert" data-testid="profile-error">
        {errors.form ?? ""}
      </p>
      <div class="composer-row">
        <button type="button" class="btn ghost small" onClick={done}>
          Cancel
        </button>
        <button type="submit" class="btn small" data-testid="edit-profile-save" disabled={busy || uploading}>
          {uploading ? "Uploading…" : "Save"}
        </button>
      </div>
    </form>
  );
}
