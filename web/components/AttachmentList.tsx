/**
 * The composer's photos as they upload: preview, progress, alt text (with a gentle reminder),
 * retry and remove (web/components/ComposerMedia.tsx keeps their state). Shown only once a photo
 * is added, so its code loads then, beside /media.js (web/pages/Home.tsx), not with the page.
 */
import "./lazy-kit";
import { ALT_MAX } from "../lib/limits";
import type { Attachments } from "./ComposerMedia";

export function AttachmentList({ attachments }: { attachments: Attachments }) {
  const { items } = attachments;
  if (items.length === 0) return null;
  return (
    <ul class="attachments" aria-label="Images in this post">
      {items.map((a, i) => (
        <li key={a.key} class="attachment" data-testid="attachment" data-status={a.status}>
          <img src={a.preview} alt="" class="thumb" />
          <div class="attachment-body">
            {a.status !== "done" && a.status !== "failed" && (
              <progress
                max={1}
                value={a.status === "preparing" ? undefined : a.progress}
                aria-label={`Image ${i + 1}: ${a.status === "preparing" ? "preparing" : `uploading, ${Math.round(a.progress * 100)}%`}`}
                data-testid="upload-progress"
              />
            )}
            {a.status === "failed" && (
              <p class="form-error small" role="alert">
                {a.error}{" "}
                <button type="button" class="link" onClick={() => attachments.retry(a.key)}>
                  Try again
                </button>
              </p>
            )}
            <label class="small">
              <span class="sr-only">Description of image {i + 1} (alt text)</span>
              <textarea
                rows={2}
                data-testid="alt-input"
                placeholder="Describe the image for people who can't see it"
                maxLength={ALT_MAX}
                value={a.alt}
                onInput={(e) => attachments.setAlt(a.key, e.currentTarget.value)}
              />
            </label>
            {a.alt.trim() === "" && (
              <p class="muted small hint" data-testid="alt-reminder">
                Adding a description helps people using screen readers.
              </p>
            )}
          </div>
          <button type="button" class="btn ghost small remove" data-testid="remove-attachment" aria-label={`Remove image ${i + 1}`} onClick={() => attachments.remove(a.key)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
