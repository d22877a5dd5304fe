/**
 * An avatar picker for a profile editor: choose a photo, see it cropped square, watch it upload.
 * The photo is cropped to its middle square and shrunk to 400 px by /media.js (loaded on first
 * use), uploaded like a post's image (POST /api/v1/media), then handed to `onUploaded`; the editor
 * saves it with `PATCH /api/v1/users/me {avatarMediaId: media.id}` (API.md Media), which makes it
 * public and sets `avatarUrl`. Until then it is a private upload, removed after 24 hours.
 *
 *   <AvatarUpload current={user.avatarUrl} onUploaded={(media) => setAvatarMediaId(media.id)} />
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Media } from "../../schema/api";
import { errorText } from "../store-core";
import { loadMedia } from "./load";

/** Avatars are shown at 32 and 64 px; 400 px is sharp on any screen and a few dozen KB. */
export const AVATAR_SIZE = 400;

export interface AvatarUploadProps {
  /** The avatar shown before a new one is picked (a `/media/…` url, or null for none). */
  current?: string | null;
  onUploaded: (media: Media) => void;
  /** Told when an upload starts and ends (an editor holds its Save until the picture is in). */
  onBusy?: (busy: boolean) => void;
  /** The visible label of the button. */
  label?: string;
}

type State = { phase: "idle" } | { phase: "busy"; progress: number } | { phase: "done" } | { phase: "failed"; message: string };

export function AvatarUpload({ current = null, onUploaded, onBusy, label = "Choose a photo" }: AvatarUploadProps) {
  const input = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [state, setState] = useState<State>({ phase: "idle" });
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);
  const busy = state.phase === "busy";
  useEffect(() => onBusy?.(busy), [busy]);

  async function pick(file: File) {
    setState({ phase: "busy", progress: 0 });
    try {
      const media = await loadMedia();
      const square = await media.prepareSquare(file, AVATAR_SIZE);
      setPreview(URL.createObjectURL(square.blob));
      const res = await media.uploadImage(square.blob, { key: crypto.randomUUID(), onProgress: (progress) => setState({ phase: "busy", progress }) });
      if (!res.ok) return setState({ phase: "failed", message: errorText(res.code, res.message) });
      setState({ phase: "done" });
      onUploaded(res.data.media);
    } catch {
      setState({ phase: "failed", message: "This photo couldn't be read. Try another one." });
    }
  }

  const shown = preview ?? (current?.startsWith("/media/") ? current : null);
  return (
    <div class="avatar-upload" data-testid="avatar-upload">
      {shown ? <img class="avatar big" src={shown} alt="" width={64} height={64} /> : <span class="avatar big" aria-hidden="true" />}
      <input
        ref={input}
        type="file"
        accept="image/*"
        hidden
        data-testid="avatar-input"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = "";
          if (file) void pick(file);
        }}
      />
      <button type="button" class="btn ghost small" disabled={state.phase === "busy"} onPointerEnter={() => void loadMedia().catch(() => {})} onClick={() => input.current?.click()}>
        {label}
      </button>
      {state.phase === "busy" && <progress max={1} value={state.progress} aria-label={`Uploading, ${Math.round(state.progress * 100)}%`} />}
      {state.phase === "failed" && (
        <p class="form-error small" role="alert">
          {state.message}
        </p>
      )}
    </div>
  );
}
