/**
 * The profile picture by link, beside the upload (web/media/AvatarUpload.tsx, in the profile
 * editor): an http(s) URL, with a preview and a way to remove it. `value` is what is typed (trimmed; null when empty); the preview shows it once it is a
 * picture link, and the field says so when it is not (the form refuses to send it).
 */
import { useState } from "preact/hooks";
import { Avatar } from "./Avatar";

/** An http(s) link, or one of our own uploads (`/media/<id>`, set by uploading a picture above). */
export const isPictureUrl = (text: string) => /^(https?:\/\/\S+|\/media\/[\w-]+)$/i.test(text.trim());

export function AvatarField({ value, name, onChange, error }: { value: string | null; name: string; onChange: (url: string | null) => void; error?: string }) {
  const [text, setText] = useState(value ?? "");
  const bad = text.trim() !== "" && !isPictureUrl(text);
  const preview = value !== null && isPictureUrl(value) ? value : null;
  const message = error ?? (bad ? "A picture link starts with http:// or https://." : undefined);
  return (
    <div class="avatar-field">
      <Avatar user={{ displayName: name, avatarUrl: preview }} big />
      <label>
        Picture (link to an image)
        <input
          type="url"
          name="avatarUrl"
          data-testid="edit-avatar"
          placeholder="https://…"
          value={text}
          aria-invalid={message ? "true" : "false"}
          aria-describedby={message ? "avatar-error" : undefined}
          onInput={(e) => {
            const next = e.currentTarget.value;
            setText(next);
            onChange(next.trim() === "" ? null : next.trim());
          }}
        />
        {message && (
          <span class="form-error" id="avatar-error">
            {message}
          </span>
        )}
      </label>
      {value && (
        <button type="button" class="link" onClick={() => (setText(""), onChange(null))}>
          Remove picture
        </button>
      )}
    </div>
  );
}
