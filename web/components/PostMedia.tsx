/**
 * A post's images on a card. Every box has its size before the image arrives (width and height
 * from the upload, an aspect ratio in CSS), so nothing moves when it loads and the virtualized
 * feed measures the right height at once. Images of the first cards load at once, the rest
 * lazily; each has its alt text. CSS sizes them to the card (one rendition is stored, at most
 * 2,048 px, shrunk in the uploader's browser). A click opens the viewer (/media.js, on first use).
 */
import type { PostMedia } from "../../schema/api";
import { loadMedia } from "../media/load";

/** The first rows are on screen at first paint: their images load at once. */
const EAGER_ROWS = 2;

export function PostImages({ media, row }: { media: readonly PostMedia[]; row?: number }) {
  if (media.length === 0) return null;
  const eager = row !== undefined && row < EAGER_ROWS;
  const single = media.length === 1;
  const open = (index: number, opener: HTMLElement) =>
    void loadMedia()
      .then((m) => m.openViewer(media, index, opener))
      .catch(() => window.open(media[index].url, "_blank", "noopener"));
  return (
    <div class={single ? "shots one" : `shots many n${media.length}`} data-testid="post-images">
      {media.map((m, i) => (
        <button
          key={m.id}
          type="button"
          class="shot"
          style={single ? { aspectRatio: `${m.width} / ${m.height}` } : undefined}
          aria-label={m.alt ? undefined : `Image ${i + 1} of ${media.length}, no description`}
          onPointerEnter={() => void loadMedia().catch(() => {})}
          onClick={(e) => open(i, e.currentTarget)}
        >
          <img
            src={m.url}
            alt={m.alt}
            width={m.width}
            height={m.height}
            loading={eager ? "eager" : "lazy"}
            decoding="async"
            data-testid="post-image"
          />
        </button>
      ))}
    </div>
  );
}
